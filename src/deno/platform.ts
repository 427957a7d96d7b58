// The Deno platform is the Node one (src/node/platform.ts: settings, secret, PGlite in DATA_DIR/pglite or postgres.js
// with DATABASE_URL, migrations, files, mail, push, SMS, OIDC, GAR, assets), which Deno's Node compatibility runs as
// it is; two runtime-specific parts are replaced: the rooms' sockets (Deno.upgradeWebSocket, see ./rooms.ts) and the
// client's address (Deno.serve hands it to the handler, not through a node:http socket). One is left out: the OpenID
// Connect provider (oidc-provider, a Koa app) answers on node:http's raw request and response, which Deno.serve does
// not have, and it declares Deno unsupported; /oidc/* then answers 404, as on Workers (CAS and the GAR do not use it).
import { clientAddress, trustedProxyCount } from "../http/client-address";
import { createNodePlatform, type NodePlatform } from "../node/platform";
import { NodeRooms } from "../node/rooms";
import { DenoRooms } from "./rooms";

export async function createDenoPlatform(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): Promise<NodePlatform> {
  const made = await createNodePlatform({ env });
  const { platform } = made;
  if (platform.rooms instanceof NodeRooms)
    platform.rooms = new DenoRooms(platform.rooms, {
      maxBufferedBytes: platform.config.realtime.maxBufferedBytes,
      onError: (event, fields) => platform.log.log("error", event, fields),
    });
  delete platform.oidc;
  const trustedProxies = trustedProxyCount(env);
  platform.clientIp = (header, info) =>
    clientAddress(
      trustedProxies,
      header("x-forwarded-for"),
      (info as Deno.ServeHandlerInfo | undefined)?.remoteAddr?.hostname ?? null,
    );
  return made;
}
