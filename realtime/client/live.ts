// What both browser clients share: the room's websocket URL, the official y-websocket provider, status and presence.
import type * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";

export function connect(roomId: string, doc: Y.Doc): WebsocketProvider {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  // Same origin: the session cookie goes with the upgrade, and the server checks the Origin header.
  return new WebsocketProvider(`${scheme}://${location.host}/salles`, roomId, doc, {
    disableBc: true,
    maxBackoffTime: 5000,
  });
}

const COLOURS = ["#b35900", "#1a6b3c", "#7a1f8f", "#0b5cad", "#a3123a", "#4d5d00"];

/** Shows "live" or "reconnecting" and who is here (names come from the server's tickets, not from clients). */
export function liveStatus(
  provider: WebsocketProvider,
  status: HTMLElement,
  T: Record<string, string>,
  liveKey: string,
  userName: string,
): void {
  const line = document.createElement("span");
  const who = document.createElement("span");
  who.className = "presence";
  status.replaceChildren(line, document.createTextNode(" "), who);
  provider.awareness.setLocalStateField("user", {
    name: userName,
    color: COLOURS[provider.awareness.clientID % COLOURS.length],
  });
  provider.on("status", ({ status: s }) => {
    line.textContent = s === "connected" ? T[liveKey]! : T["wall.offline"]!;
  });
  // A permanent close (session ended, rights withdrawn, too many sockets, room full): no new attempt comes, so the
  // server's reason, in French, replaces "reconnecting".
  provider.on("closed", ({ reason }) => {
    if (reason) line.textContent = `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
  });
  const renderPresence = () => {
    const names = new Set<string>();
    provider.awareness.getStates().forEach((state, id) => {
      const n = (state as { user?: { name?: unknown } }).user?.name;
      if (id !== provider.awareness.clientID && typeof n === "string") names.add(n);
    });
    who.textContent = names.size ? `${T["wall.presence"]} : ${[...names].sort().join(", ")}` : "";
  };
  provider.awareness.on("change", renderPresence);
  renderPresence();
}
