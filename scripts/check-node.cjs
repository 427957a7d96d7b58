// First step of every npm script: on a Node.js older than 24, stop at once with one line saying what to install,
// instead of a crash further on (`Map.groupBy is not a function`…). CommonJS, no dependency and plain syntax, so
// that the old Node versions distributions still ship (10, 12, 18, 20) can run it: an .mjs file fails to load on 10.
// PREAU_FAKE_NODE_VERSION stands in for the running version (the test of this script).
"use strict";

const REQUIRED = 24;
const found = process.env.PREAU_FAKE_NODE_VERSION || process.versions.node;
const major = Number(String(found).replace(/^v/, "").split(".")[0]);

if (!(major >= REQUIRED)) {
  process.stderr.write(
    `Préau demande Node.js ${REQUIRED} ou plus récent, trouvé ${found} / Préau needs Node.js ${REQUIRED}+, ` +
      `found ${found}` +
      ` — https://nodejs.org, \`nvm install ${REQUIRED}\`, Debian/Ubuntu : ` +
      `https://github.com/nodesource/distributions\n`,
  );
  process.exit(1);
}
