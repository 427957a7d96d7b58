// Issue 22, all cores: `npm start` on a Postgres server runs two hub processes (PREAU_PROCESSES=2, node:cluster) and
// the rooms stay one: clients of the same wall accepted by different processes converge, a late joiner gets the full
// state, presence crosses, the page without JavaScript writes into the room whichever process serves it, a logout in
// one process closes the sockets held by the other, and SIGTERM to the primary stops both with every room stored.
// The real entry (src/node/main.ts) in a child process, the official y-websocket client, a fresh database.
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import { WebSocket } from "ws";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { readPostits } from "../../realtime/wall-model";
import { until } from "../helpers/realtime";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const serverUrl = process.env.DATABASE_URL;

/** A browser over HTTP/1.1 with a new connection per request, so that requests reach both processes in turn. */
class Browser {
  cookies = new Map<string, string>();
  constructor(readonly base: string) {}
  send(method: string, path: string, form?: Record<string, string>) {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    return new Promise<{ status: number; location: string | null; body: string; process: string }>(
      (resolve, reject) => {
        const req = request(
          `${this.base}${path}`,
          {
            method,
            agent: false,
            headers: {
              cookie: this.cookieHeader(),
              ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
            },
          },
          (res) => {
            for (const line of res.headers["set-cookie"] ?? []) {
              const [pair] = line.split(";");
              const eq = pair!.indexOf("=");
              this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
            }
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (d: string) => (text += d));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                location: res.headers.location ?? null,
                body: text,
                process: String(res.headers["x-preau-process"]),
              }),
            );
          },
        );
        req.on("error", reject);
        req.end(body);
      },
    );
  }
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  async login(login: string) {
    const form = await this.send("GET", "/login");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const res = await this.send("POST", "/login", { login, password: "preau-demo", _csrf: csrf });
    if (res.status !== 303) throw new Error(`login of ${login}: ${res.status}`);
  }
}

interface Hub {
  proc: ChildProcess;
  base: string;
  out: () => string;
}

async function startHub(env: Record<string, string>): Promise<Hub> {
  const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/node/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env, PREAU_PROCESSES: "2", PORT: "0", HOST: "127.0.0.1", PREAU_COOKIE_SECURE: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Préau est prêt : http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      }
    }, 50);
    proc.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`hub exited (${code}):\n${out.slice(-3000)}`));
    });
  });
  return { proc, base: `http://127.0.0.1:${port}`, out: () => out };
}

interface Screen {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** "accepted-by owner" from the handshake: which process took the connection and which one holds the room. */
  processes: string;
  closes: number[];
  destroy(): void;
}

/** The official y-websocket client on the wall's room, with the session cookie of `browser`. */
async function screen(hub: Hub, browser: Browser, roomId: string): Promise<Screen> {
  const doc = new Y.Doc();
  const seen: string[] = [];
  const cookie = browser.cookieHeader();
  class CookieSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
      this.on("upgrade", (res) => seen.push(String(res.headers["x-preau-process"])));
    }
  }
  const provider = new WebsocketProvider(`${hub.base.replace("http", "ws")}/salles`, roomId, doc, {
    WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  const closes: number[] = [];
  provider.on("connection-close", (event) => {
    if (event) closes.push(event.code);
  });
  await until(() => provider.synced, 15_000, "a screen never synced");
  return {
    doc,
    provider,
    processes: seen[0] ?? "",
    closes,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

async function stopHub(hub: Hub): Promise<number | null> {
  if (hub.proc.exitCode !== null) return hub.proc.exitCode;
  const exited = new Promise<number | null>((resolve) => hub.proc.once("exit", (code) => resolve(code)));
  hub.proc.kill("SIGTERM");
  return exited;
}

const texts = (doc: Y.Doc) =>
  readPostits(doc)
    .map((p) => p.text)
    .sort();

describe.skipIf(!serverUrl)("issue 22: two hub processes, one room state", () => {
  let admin: postgres.Sql;
  let database: string;
  let dataDir: string;
  let env: Record<string, string>;
  let hub: Hub;
  const screens: Screen[] = [];

  beforeAll(async () => {
    admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    database = `preau_cores_${Date.now()}_${process.pid}`;
    await admin.unsafe(`create database "${database}"`);
    const url = new URL(serverUrl!);
    url.pathname = `/${database}`;
    dataDir = await mkdtemp(join(tmpdir(), "preau-cores-"));
    env = { DATABASE_URL: url.toString(), DATA_DIR: dataDir };
    hub = await startHub(env);
  }, 180_000);

  afterAll(async () => {
    for (const s of screens) s.destroy();
    if (hub) await stopHub(hub);
    await admin?.unsafe(`drop database if exists "${database}" with (force)`);
    await admin?.end({ timeout: 2 });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  let teacher: Browser;
  let roomId: string;
  let wallPath: string;
  let a: Screen;
  let b: Screen;

  it("issue 22: clients of one wall accepted by different processes converge; a late joiner gets the full state; presence crosses", async () => {
    teacher = new Browser(hub.base);
    await teacher.login("demo.enseignant");
    const walls = await teacher.send("GET", "/murs");
    wallPath = /href="(\/murs\/[0-9a-f-]{36})"/.exec(walls.body)![1]!;
    const page = await teacher.send("GET", wallPath);
    roomId = /data-room="([^"]+)"/.exec(page.body)![1]!;
    // New connections go to the two processes in turn: open screens until two were accepted by different ones.
    for (let i = 0; i < 6 && new Set(screens.map((s) => s.processes.split(" ")[0])).size < 2; i++)
      screens.push(await screen(hub, teacher, roomId));
    const accepted = new Map(screens.map((s) => [s.processes.split(" ")[0], s]));
    expect([...accepted.keys()].sort()).toEqual(["0", "1"]);
    a = accepted.get("0")!;
    b = accepted.get("1")!;
    // Both reached the same owner, whichever process accepted them.
    expect(a.processes.split(" ")[1]).toBe(b.processes.split(" ")[1]);
    const before = texts(a.doc).length;
    expect(before).toBeGreaterThan(0); // the demonstration's post-its
    expect(texts(b.doc)).toEqual(texts(a.doc));

    // Presence crosses too (its name comes from the ticket the accepting process issued, with the user's id).
    a.provider.awareness.setLocalStateField("user", { name: "ignoré", color: "#1a6b3c" });
    await until(
      () => [...b.provider.awareness.getStates().values()].some((s) => s.user?.color === "#1a6b3c"),
      10_000,
      "presence did not cross processes",
    );
    const state = [...b.provider.awareness.getStates().values()].find((s) => s.user?.color === "#1a6b3c")!;
    expect(state.user.name).not.toBe("ignoré");
    const teacherId = String(state.user.id);

    // A post-it as the wall's client writes it: its author is the ticket's user (the guard checks it).
    const add = (doc: Y.Doc, text: string) => {
      const m = new Y.Map<unknown>();
      for (const [k, v] of Object.entries({
        authorId: teacherId,
        authorName: "",
        text,
        colour: "jaune",
        x: 10,
        y: 10,
        column: 0,
        approved: true,
        createdAt: new Date().toISOString(),
      }))
        m.set(k, v);
      doc.getMap("postits").set(crypto.randomUUID(), m);
    };
    add(a.doc, "Écrit sur le processus 0");
    add(b.doc, "Écrit sur le processus 1");
    await until(
      () => texts(a.doc).includes("Écrit sur le processus 1") && texts(b.doc).includes("Écrit sur le processus 0"),
      10_000,
      "the two screens did not converge",
    );
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));

    const late = await screen(hub, teacher, roomId);
    screens.push(late);
    expect(texts(late.doc)).toEqual(texts(a.doc));
    expect(texts(late.doc)).toHaveLength(before + 2);
  }, 120_000);

  it("issue 22: the page without JavaScript adds to the room and reads it back whichever process serves it", async () => {
    const served = new Set<string>();
    const page = await teacher.send("GET", wallPath);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    for (const text of ["Sans JavaScript, première requête", "Sans JavaScript, seconde requête"]) {
      const posted = await teacher.send("POST", `${wallPath}/postits`, {
        _csrf: csrf,
        texte: text,
        couleur: "jaune",
        colonne: "0",
      });
      expect(posted.status).toBe(303);
      served.add(posted.process);
    }
    // Sequential new connections alternate between the two processes: one of the forms was not the room's owner's.
    expect([...served].sort()).toEqual(["0", "1"]);
    await until(
      () =>
        ["Sans JavaScript, première requête", "Sans JavaScript, seconde requête"].every(
          (t) => texts(a.doc).includes(t) && texts(b.doc).includes(t),
        ),
      10_000,
      "the form's post-its did not reach the screens",
    );
    // Both processes render the wall from the room (the one that does not hold it asks its owner).
    const rendered = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const page = await teacher.send("GET", wallPath);
      expect(page.body).toContain("Écrit sur le processus 0");
      expect(page.body).toContain("Sans JavaScript, seconde requête");
      rendered.add(page.process);
    }
    expect([...rendered].sort()).toEqual(["0", "1"]);
  }, 60_000);

  it("issue 22: a logout served by the process that does not hold the room closes the session's sockets (4401)", async () => {
    const owner = a.processes.split(" ")[1]!;
    // Sequential new connections alternate: once the owner served one, the next goes to the other process.
    let page = await teacher.send("GET", "/");
    for (let i = 0; i < 4 && page.process !== owner; i++) page = await teacher.send("GET", "/");
    expect(page.process).toBe(owner);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const logout = await teacher.send("POST", "/logout", { _csrf: csrf });
    expect(logout.status).toBe(303);
    expect(logout.process).not.toBe(owner);
    await until(
      () => screens.every((s) => s.closes.includes(4401)),
      10_000,
      "a socket of the ended session stayed open",
    );
  }, 30_000);

  it("issue 22: SIGTERM to the primary stops both processes cleanly; the rooms were stored", async () => {
    const expected = texts(a.doc);
    for (const s of screens.splice(0)) s.destroy();
    expect(await stopHub(hub)).toBe(0);
    expect(hub.out()).toMatch(/"event":"shutdown".*"process":0/);
    expect(hub.out()).toMatch(/"event":"shutdown".*"process":1/);
    hub = await startHub(env);
    const again = new Browser(hub.base);
    await again.login("demo.enseignant");
    const back = await screen(hub, again, roomId);
    screens.push(back);
    expect(texts(back.doc)).toEqual(expected);
  }, 180_000);
});
