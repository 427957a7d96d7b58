// 56B live documents through the real app: creation and bad input, sharing with a class (read or write) with
// sockets re-checked at once (4401 when access is withdrawn), read-only HTML from the room, text derived for search,
// exports to HTML and ODT, pasted images (55F) kept only as raster data URLs, tenant isolation on pages and sockets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as Y from "yjs";
import { t } from "../../src/i18n";
import { fragmentOf } from "../../realtime/document-model";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass, buildUser } from "../helpers/factories";
import { roomsApp, until, yClient, type Client } from "../helpers/realtime";

const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJg" +
  "gg==";

function writeContent(doc: Y.Doc) {
  doc.transact(() => {
    const f = fragmentOf(doc);
    const h = new Y.XmlElement("heading");
    const ht = new Y.XmlText();
    h.insert(0, [ht]);
    const p = new Y.XmlElement("paragraph");
    const pt = new Y.XmlText();
    p.insert(0, [pt]);
    const img = new Y.XmlElement("image");
    const bad = new Y.XmlElement("image");
    const list = new Y.XmlElement("bullet_list");
    const li = new Y.XmlElement("list_item");
    const lp = new Y.XmlElement("paragraph");
    const lt = new Y.XmlText();
    lp.insert(0, [lt]);
    li.insert(0, [lp]);
    list.insert(0, [li]);
    f.insert(0, [h, p, img, bad, list]);
    // Attributes and text once the types belong to the document (Yjs reads nothing before).
    h.setAttribute("level", "1" as never);
    ht.insert(0, "La classe verte");
    pt.insert(0, "Nous sommes partis ");
    pt.insert(pt.length, "en car", { strong: {} });
    pt.insert(pt.length, " <script>alert(1)</script> ", { strong: null });
    pt.insert(pt.length, "voir", { link: { href: "javascript:alert(1)" } });
    pt.insert(pt.length, " le site", { link: { href: "https://example.org/" } });
    img.setAttribute("src", PNG as never);
    img.setAttribute("alt", "photo" as never);
    bad.setAttribute("src", "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" as never);
    lt.insert(0, "des fossiles");
  });
}

describe.each(DATABASE_KINDS)("56B documents on %s", (kind) => {
  let env: Awaited<ReturnType<typeof roomsApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let docId: string;
  let roomId: string;
  const clients: Client[] = [];

  async function as(user: { login: string; password: string }) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    await b.get("/documents");
    return b;
  }
  async function live(b: TestBrowser, room: string, waitSync = true) {
    const c = await yClient(env.ws, room, {
      headers: { cookie: `preau_session=${b.cookie("preau_session")}` },
      waitSync,
    });
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    env = await roomsApp(kind);
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    const created = await (await as(s.teacher)).post("/documents", { titre: "Sortie au musée" });
    expect(created.status).toBe(303);
    docId = created.location!.split("/").pop()!;
    roomId = `${s.school.uai}:doc:${docId}`;
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await env?.stop();
  });

  it("56B bad input gets a clear French error and changes nothing", async () => {
    const teacher = await as(s.teacher);
    const empty = await teacher.post("/documents", { titre: "   " });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain(t("document.error.title_required"));
    const long = await teacher.post("/documents", { titre: "x".repeat(121) });
    expect(long.status).toBe(422);
    expect(long.text).toContain(t("document.error.title_too_long"));
    await teacher.get(`/documents/${docId}`);
    const badSharing = await teacher.post(`/documents/${docId}/partage`, {
      partage: "monde",
      classe: "",
      droits: "read",
    });
    expect(badSharing.status).toBe(422);
    expect(badSharing.text).toContain(t("document.error.sharing_invalid"));
    const badClass = await teacher.post(`/documents/${docId}/partage`, {
      partage: "class",
      classe: other.classId,
      droits: "read",
    });
    expect(badClass.status).toBe(422);
    expect(badClass.text).toContain(t("document.error.class_invalid"));
    expect((await teacher.get(`/documents?q=${"a".repeat(101)}`)).text).toContain(t("document.error.search_too_long"));
    // Still private: the pupil cannot open it.
    expect((await (await as(s.pupil)).get(`/documents/${docId}`)).status).toBe(403);
  });

  it(
    "56B the owner writes live; the read-only view is " + "safe HTML from the room; the text is derived for search",
    async () => {
      const teacher = await as(s.teacher);
      const editor = await live(teacher, roomId);
      writeContent(editor.doc);
      await until(() => env.rooms.hub.isLoaded(roomId));
      await new Promise((r) => setTimeout(r, 200));
      const page = await teacher.get(`/documents/${docId}`);
      expect(page.html).toContain("<h2>La classe verte</h2>");
      expect(page.html).toContain(
        "<p>Nous sommes partis <strong>en car</strong> &lt;script&gt;alert(1)&lt;/script&gt; voir",
      );
      expect(page.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page.html).not.toContain("javascript:alert");
      expect(page.html).toContain('<a href="https://example.org/" rel="noopener noreferrer"> le site</a>');
      expect(page.html).toContain(`<img src="${PNG}" alt="photo">`);
      expect(page.html).not.toContain("data:image/svg");
      expect(page.html).toContain("<ul><li><p>des fossiles</p></li></ul>");
      // Search reads the text derived when the room stored its changes (debounced, and at unload).
      editor.destroy();
      await until(() => !env.rooms.hub.isLoaded(roomId), 5_000);
      const started = Date.now();
      while (!(await teacher.get("/documents?q=fossiles")).text.includes("Sortie au musée")) {
        if (Date.now() - started > 5_000) throw new Error("search never found the derived text");
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await teacher.get("/documents?q=volcan")).text).toContain(t("document.search.none", { q: "volcan" }));
    },
  );

  it("56B exports to HTML and to an ODT that is a well-formed OpenDocument package", async () => {
    const teacher = await as(s.teacher);
    const html = await teacher.get(`/documents/${docId}/export/html`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-disposition")).toContain("attachment");
    expect(html.html).toContain("<h1>Sortie au musée</h1>");
    const res = await env.app.request(`http://localhost/documents/${docId}/export/odt`, {
      headers: { cookie: `preau_session=${teacher.cookie("preau_session")}` },
    });
    expect(res.headers.get("content-type")).toBe("application/vnd.oasis.opendocument.text");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const dir = mkdtempSync(join(tmpdir(), "preau-odt-"));
    writeFileSync(join(dir, "doc.odt"), bytes);
    const check = execFileSync("python3", [
      "-c",
      `
import zipfile, sys, xml.dom.minidom
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
assert names[0] == "mimetype" and z.read("mimetype") == b"application/vnd.oasis.opendocument.text"
for n in ("content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"):
    xml.dom.minidom.parseString(z.read(n))
c = z.read("content.xml").decode()
print("ok", "La classe verte" in c, "des fossiles" in c, any(n.startswith("Pictures/") for n in names))
`,
      join(dir, "doc.odt"),
    ])
      .toString()
      .trim();
    expect(check).toBe("ok True True True");
    expect((await teacher.get(`/documents/${docId}/export/pdf`)).status).toBe(404);
  });

  it(
    "56B sharing with the class: pupils read (viewer socket) " +
      "then write; withdrawing closes their socket with 4401",
    async () => {
      const teacher = await as(s.teacher);
      await teacher.get(`/documents/${docId}`);
      expect(
        (await teacher.post(`/documents/${docId}/partage`, { partage: "class", classe: s.classId, droits: "read" }))
          .status,
      ).toBe(303);
      const pupil = await as(s.pupil);
      const view = await pupil.get(`/documents/${docId}`);
      expect(view.status).toBe(200);
      expect(view.text).toContain(t("document.view_only"));
      // 54I: the class hears of it once in its news feed.
      expect((await pupil.get("/fil")).text).toContain("Document partagé :");
      const owner = await live(teacher, roomId);
      const reader = await live(pupil, roomId);
      fragmentOf(reader.doc).insert(0, [new Y.XmlElement("paragraph")]);
      const marker = new Y.XmlElement("horizontal_rule");
      fragmentOf(owner.doc).push([marker]);
      await until(() =>
        fragmentOf(reader.doc)
          .toArray()
          .some((n) => (n as Y.XmlElement).nodeName === "horizontal_rule"),
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(fragmentOf(owner.doc).length).toBe(fragmentOf(reader.doc).length - 1);
      expect(
        (await teacher.post(`/documents/${docId}/partage`, { partage: "class", classe: s.classId, droits: "write" }))
          .status,
      ).toBe(303);
      // (The read-only client above diverged on purpose; the editor never lets a reader type, so writers start clean.)
      reader.destroy();
      const writer = await live(pupil, roomId);
      const p = new Y.XmlElement("paragraph");
      const txt = new Y.XmlText();
      txt.insert(0, "écrit par l'élève");
      p.insert(0, [txt]);
      fragmentOf(writer.doc).push([p]);
      await until(() => fragmentOf(owner.doc).toString().includes("écrit par l'élève"));
      expect(
        (await teacher.post(`/documents/${docId}/partage`, { partage: "private", classe: "", droits: "read" })).status,
      ).toBe(303);
      expect((await writer.closed).code).toBe(4401);
      expect(owner.provider.wsconnected).toBe(true);
      expect((await pupil.get(`/documents/${docId}`)).status).toBe(403);
    },
  );

  it(
    "58A shared with the school's staff: another adult of the school opens it, and edits it once shared to write; " +
      "pupils are refused (403, 4403) and another school gets 404",
    async () => {
      const owner = await as(s.teacher);
      const created = await owner.post("/documents", { titre: "Projet des maîtres" });
      const id = created.location!.split("/").pop()!;
      const room = `${s.school.uai}:doc:${id}`;
      await owner.get(`/documents/${id}`);
      const share = (droits: "read" | "write") =>
        owner.post(`/documents/${id}/partage`, { partage: "staff", classe: "", droits });
      expect((await share("read")).location).toBe(`/documents/${id}?fait=partage`);
      // An adult of the school outside the owner's class: the staff sharing alone lets them in.
      const colleague = await as(
        await buildUser(env.platform.db, env.platform.passwords, { profile: "teacher", uai: s.school.uai }),
      );
      const read = await colleague.get(`/documents/${id}`);
      expect(read.status).toBe(200);
      expect(read.text).toContain("Projet des maîtres");
      expect(read.text).toContain(t("document.view_only"));
      expect((await colleague.get("/documents")).text).toContain("Projet des maîtres");
      expect((await (await as(s.director)).get(`/documents/${id}`)).status).toBe(200);
      const pupil = await as(s.pupil);
      expect((await pupil.get(`/documents/${id}`)).status).toBe(403);
      expect((await (await as(other.teacher)).get(`/documents/${id}`)).status).toBe(404);

      expect((await share("write")).status).toBe(303);
      const writable = await colleague.get(`/documents/${id}`);
      expect(writable.status).toBe(200);
      expect(writable.text).not.toContain(t("document.view_only"));
      const ownerScreen = await live(owner, room);
      const colleagueScreen = await live(colleague, room);
      const paragraph = new Y.XmlElement("paragraph");
      const text = new Y.XmlText();
      text.insert(0, "ajouté par une collègue");
      paragraph.insert(0, [text]);
      fragmentOf(colleagueScreen.doc).push([paragraph]);
      await until(() => fragmentOf(ownerScreen.doc).toString().includes("ajouté par une collègue"));
      // Shared to write with the adults, still nothing for pupils.
      expect((await pupil.get(`/documents/${id}`)).status).toBe(403);
      expect((await (await live(pupil, room, false)).closed).code).toBe(4403);
    },
  );

  it("56B tenant isolation: another school's user gets 404 on pages and exports and 4403 on the socket", async () => {
    const stranger = await as(other.teacher);
    expect((await stranger.get(`/documents/${docId}`)).status).toBe(404);
    expect((await stranger.get(`/documents/${docId}/export/html`)).status).toBe(404);
    expect(
      (await stranger.post(`/documents/${docId}/partage`, { partage: "staff", classe: "", droits: "write" })).status,
    ).toBe(404);
    const refused = await live(stranger, roomId, false);
    expect((await refused.closed).code).toBe(4403);
  });
});
