// Which browser the e2e tests drive: Debian's /usr/bin/chromium, or the one PREAU_CHROMIUM names. Without it, one
// line says what to do (checked once per run by test/global-setup.ts, and again by the harness before a launch).
import { accessSync, constants, statSync } from "node:fs";

export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  return env.PREAU_CHROMIUM || DEFAULT_CHROMIUM;
}

/** The line to print when the browser is missing or not executable, or null when it is there. */
export function missingChromium(env: Record<string, string | undefined> = process.env): string | null {
  const path = chromiumPath(env);
  try {
    accessSync(path, constants.X_OK);
    if (statSync(path).isFile()) return null;
  } catch {
    // missing or not executable: the line below
  }
  const named = env.PREAU_CHROMIUM ? `PREAU_CHROMIUM=${path}` : path;
  return (
    `Chromium introuvable (${named}) : installez le paquet Debian chromium (apt-get install chromium) ou nommez un` +
    " autre navigateur avec PREAU_CHROMIUM=/chemin/vers/chrome / Chromium not found: install Debian's chromium" +
    " package or set PREAU_CHROMIUM=/path/to/chrome"
  );
}

/** An error whose only text is that line (no stack frames: the line is the whole story). */
export function chromiumMissingError(line: string): Error {
  const error = new Error(line);
  error.name = "ChromiumMissing";
  error.stack = `${error.name}: ${line}`;
  return error;
}

/** Whether a run's test files include browser tests (test/e2e/). */
export function runsBrowserTests(files: readonly string[]): boolean {
  return files.some((f) => /(^|[\\/])test[\\/]e2e[\\/]/.test(f));
}
