// Issue 21: the hostile-input walk. A property-based test (fast-check) sends hostile values — NUL, lone surrogates,
// 1 MB strings, right-to-left overrides, impossible dates and times, huge and negative numbers, repeated fields
// where one value is expected, missing fields — to every form, query string and JSON body of every route the app
// serves (ROUTES below, checked against app.routes), as a pupil, a parent, a teacher, a director and an académie's
// administrator (factories) signed in with a session and a CSRF token, and as a visitor. For every answer: never a
// 5xx; a refusal (4xx) is a French page or message and leaves the database as it was (a trigger on every table
// notes each row written); no log line holds any submitted text. The walk runs on a copy of the worker's PGlite
// (clone): what it writes reaches no other test file, and no other file's writes reach it.
// Each pass walks every route once, with one theme of hostile values, each route as another profile; passes go on
// while a time budget lasts (FC_PASSES, FC_BUDGET_MS below). Replay a failure with FC_PATH="<METHOD path>"
// FC_THEME=<theme> FC_SEED=<the seed fast-check printed>.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { sql } from "drizzle-orm";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { rowsOf, systemScope, withTenant, type Database } from "../../db/client";
import * as schema from "../../db/schema";
import { createApp } from "../../src/app";
import { NodeRooms } from "../../src/node/rooms";
import { readPostits } from "../../realtime/wall-model";
import { DAY_KEYS } from "../../src/services/access-hours";
import type { Platform } from "../../src/platform";
import { TestBrowser, type Page } from "../helpers/client";
import { platformOn } from "../helpers/platform";
import { testDatabase } from "../helpers/db";
import { buildSchoolWithClass, buildStructure, buildUser, type BuiltUser } from "../helpers/factories";

/** In every hostile text: a log line holding it is a log line holding submitted text. */
const MARK = "zqHostileMarkzq";

// ——— What a route reads: its form fields, query string, JSON body and files (from the routes' schemas and the
// views' forms). `{pupil}` in a field's name is the pupil's id (the roll names its fields after pupils).

interface RouteSpec {
  fields?: string[];
  query?: string[];
  json?: string[];
  files?: string[];
}

const HOURS_FIELDS = DAY_KEYS.flatMap((d) => [`ouvert_${d}`, `de_${d}`, `a_${d}`]);
const MESSAGING_HOURS_FIELDS = ["mode", ...DAY_KEYS.flatMap((d) => [`ouvert-${d}`, `de-${d}`, `a-${d}`])];
const FOLDER = { query: ["q", "page", "non_lus", "fait"] };
const ENTRY = ["jour", "matiere", "fait_en_classe", "a_faire", "pour_le", "liens", "semaine"];
const COMPOSE = ["objet", "texte", "ecole", "envoi", "accuse", "brouillon", "action", "destinataires", "groupes"];
const NOTICE = { query: ["fait"] };

const ROUTES: Record<string, RouteSpec> = {
  "GET /": {},
  "GET /aide": {},
  "GET /charte": {},
  "GET /accessibilite": {},
  "GET /favicon.svg": {},
  "GET /manifest.webmanifest": {},
  "GET /sw.js": {},
  "GET /healthz": {},
  "GET /readyz": {},
  "POST /preferences/police": { fields: ["police", "retour"] },
  "POST /ecole/active": { fields: ["uai"] },
  // Identity
  "GET /login": { query: ["retour", "info"] },
  "POST /login": { fields: ["login", "password", "retour"] },
  "GET /login/code": {},
  "POST /login/code": { fields: ["code"] },
  "GET /activation": {},
  "POST /activation": { fields: ["charte", "password", "confirm"] },
  "GET /compte": { query: ["enregistre"] },
  "POST /compte/applis": { fields: ["cacher"] },
  "POST /compte/mot-de-passe": { fields: ["actuel", "password", "confirm"] },
  "GET /compte/notifications": { query: ["enregistre"] },
  "POST /compte/notifications": { fields: ["choix", "calme_debut", "calme_fin", "resume", "portable"] },
  "POST /compte/notifications/appareils": { json: ["endpoint", "keys", "expirationTime"] },
  "POST /compte/notifications/appareils/retirer": { json: ["endpoint"] },
  "GET /services": {},
  "GET /services/:slug": NOTICE,
  "GET /services/:slug/consentement": { query: ["retour"] },
  "POST /services/:slug/consentement": { fields: ["choix", "retour"] },
  "GET /admin/connecteurs": NOTICE,
  "POST /admin/connecteurs": {
    fields: [
      "nom",
      "identifiant",
      "description",
      "protocole",
      "adresse",
      "services",
      "categorie",
      "ident",
      "natif",
      "partout",
      "ecoles",
      "attributs",
    ],
  },
  "POST /admin/connecteurs/:slug/activer": {},
  "GET /cas/login": { query: ["service", "gateway"] },
  "POST /cas/consentement": { fields: ["service", "choix"] },
  "GET /cas/serviceValidate": { query: ["service", "ticket"] },
  "GET /cas/p3/serviceValidate": { query: ["service", "ticket"] },
  "GET /cas/logout": { query: ["service"] },
  "GET /sso/arrivee": { query: ["jeton"] },
  "POST /sso/choix": { fields: ["jeton", "compte"] },
  "GET /sso/deconnexion": { query: ["jeton"] },
  "GET /gar/metadata": {},
  "GET /gar/sso": { query: ["SAMLRequest", "RelayState", "SigAlg", "Signature"] },
  "GET /connexion-oidc/:uid": {},
  // Directory and administration
  "GET /classes": {},
  "GET /classes/:id": { query: ["enregistre"] },
  "POST /classes/:id/applis": { fields: ["eleves", "parents"] },
  "GET /personnes/:id": {},
  "POST /personnes/:id/deverrouiller": {},
  "GET /classes/:classId/apercu": { query: ["voir"] },
  "GET /classes/:classId/apercu/murs/:wallId": { query: ["voir"] },
  "GET /ecole": {},
  "GET /ecoles": {},
  "GET /ecoles/:uai": {},
  "GET /ecole/reglages": { query: ["enregistre"] },
  "POST /ecole/reglages": { fields: HOURS_FIELDS },
  "GET /ecole/doublons": { query: ["clos"] },
  "POST /ecole/doublons": { fields: ["signalement"] },
  "GET /admin/annuaire/doublons": { query: ["clos"] },
  "POST /admin/annuaire/doublons": { fields: ["signalement"] },
  "GET /admin/annuaire": {},
  "POST /admin/annuaire/imports": { fields: ["a_blanc"], files: ["livraison"] },
  "GET /admin/annuaire/imports/:id": {},
  "GET /admin/annuaire/imports/:id/avancement": {},
  "GET /admin/annuaire/imports/:id/journal": {},
  "GET /admin/audit": { query: ["page"] },
  "POST /admin/audit/verification": {},
  // Notifications
  "GET /notifications": {},
  "POST /notifications/lues": {},
  // The news feed
  "GET /fil": NOTICE,
  "GET /fil/dates/nouvelle": {},
  "POST /fil/dates/nouvelle": { fields: ["titre", "date", "audience"] },
  "GET /fil/annonces/nouvelle": {},
  "POST /fil/annonces/nouvelle": { fields: ["titre", "texte", "jusqua", "audience", "profils"] },
  "POST /fil/annonces/:id/lu": { fields: ["retour"] },
  // Classroom
  "GET /ce-soir": {},
  "GET /cahier": {},
  "GET /cahier/:classId": { query: ["voir", "semaine", "fait"] },
  "POST /cahier/:classId": { fields: ENTRY },
  "GET /cahier/:classId/imprimer": { query: ["semaine"] },
  "GET /cahier/:classId/statistiques": {},
  "POST /cahier/entrees/:id/fait": { fields: ["fait", "eleve", "retour"], query: ["semaine"] },
  "GET /carnet": { query: ["q", "non_lus", "enfant", "fait"] },
  "GET /carnet/nouveau": {},
  "POST /carnet/nouveau": { fields: ["titre", "texte", "pour", "reponse", "rappel"] },
  "GET /carnet/apercu/:classId": {},
  "GET /carnet/:id": NOTICE,
  "GET /carnet/:id/coupon": {},
  "POST /carnet/:id/lu": { fields: ["enfant", "reponse"] },
  "GET /appel": {},
  "GET /appel/ecole": { query: ["jour"] },
  "GET /appel/:classId": { query: ["jour", "demi", "fait"] },
  "POST /appel/:classId": { fields: ["jour", "demi", "statut:{pupil}", "motif:{pupil}"] },
  "GET /appel/:classId/registre.csv": { query: ["mois"] },
  "GET /appel/:classId/registre.ods": { query: ["mois"] },
  "GET /absences": NOTICE,
  "POST /absences": { fields: ["enfant", "du", "au", "motif"] },
  "GET /sondages": { query: ["q", "etat"] },
  "GET /sondages/nouveau": { query: ["ecole"] },
  "POST /sondages/nouveau": {
    fields: ["question", "choix", "plusieurs", "anonyme", "fin", "ecole", "destinataires", "groupes"],
  },
  "GET /sondages/:id": NOTICE,
  "POST /sondages/:id/vote": { fields: ["choix"] },
  "GET /agenda": { query: ["vue", "du", "calendrier", "fait"] },
  "GET /agenda/nouveau": { query: ["calendrier", "jour"] },
  "POST /agenda/nouveau": {
    fields: ["calendrier", "titre", "lieu", "precisions", "jour", "fin_jour", "debut", "fin", "journee"],
  },
  "GET /agenda/evenements/:id": {},
  "GET /agenda/creneaux": {},
  "POST /agenda/creneaux": {
    fields: ["classe", "sorte", "titre", "lieu", "precisions", "jour", "debut", "fin", "duree", "places"],
  },
  "GET /agenda/creneaux/:id": NOTICE,
  "POST /agenda/creneaux/:id/reserver": { fields: ["creneau", "enfant"] },
  "GET /agenda/abonnements": NOTICE,
  "POST /agenda/abonnements": { fields: ["calendrier"] },
  "GET /agenda/export.ics": { query: ["calendrier"] },
  "GET /ical/:token": {},
  // Collaboration
  "GET /murs": NOTICE,
  "POST /murs": { fields: ["titre", "cible", "disposition", "mode", "colonnes"] },
  "GET /murs/:id": NOTICE,
  "POST /murs/:id/postits": { fields: ["texte", "couleur", "colonne"] },
  "POST /murs/:id/postits/:pid": { fields: ["texte", "couleur", "colonne"] },
  "POST /murs/:id/postits/:pid/valider": {},
  "POST /murs/:id/mode": { fields: ["mode"] },
  "GET /documents": { query: ["q"] },
  "POST /documents": { fields: ["titre"] },
  "GET /documents/:id": NOTICE,
  "GET /documents/:id/export/:format": {},
  "POST /documents/:id/titre": { fields: ["titre"] },
  "POST /documents/:id/partage": { fields: ["partage", "classe", "droits"] },
  "GET /salles/:room": { query: ["ticket"] },
  // Messaging
  "GET /messagerie": FOLDER,
  "GET /messagerie/envoyes": FOLDER,
  "GET /messagerie/corbeille": FOLDER,
  "GET /messagerie/brouillons": FOLDER,
  "GET /messagerie/nouveau": { query: ["ecole", "brouillon", "a", "objet"] },
  "POST /messagerie/nouveau": { fields: COMPOSE, files: ["pieces"] },
  "GET /messagerie/regles": NOTICE,
  "POST /messagerie/regles": { fields: ["regles"] },
  "POST /messagerie/horaires": { fields: MESSAGING_HOURS_FIELDS },
  "GET /messagerie/moderation": { query: ["fait", "erreur"] },
  "GET /messagerie/moderation/:id": {},
  "POST /messagerie/suspensions": { fields: ["eleve", "jours"] },
  "GET /messagerie/:id": NOTICE,
  "GET /messagerie/:id/pieces/:attachment": {},
  "POST /messagerie/:id/signaler": {},
  "GET /admin/messagerie": NOTICE,
  "POST /admin/messagerie": { fields: ["type", "debut", "fin", "de", "a", "profils", "jours"] },
  // Last: what takes away the ids the routes above use (deletions, withdrawals, the session itself).
  "POST /messagerie/:id/corbeille": { fields: ["retour"] },
  "POST /messagerie/brouillons/:id/supprimer": {},
  "POST /messagerie/suspensions/:userId/lever": {},
  "POST /admin/messagerie/:id/retirer": {},
  "POST /murs/:id/postits/:pid/supprimer": {},
  "POST /cahier/entrees/:id/supprimer": {},
  "POST /agenda/evenements/:id/supprimer": {},
  "POST /agenda/reservations/:id/annuler": {},
  "POST /agenda/abonnements/revoquer": { fields: ["calendrier"] },
  "POST /fil/dates/:batch/supprimer": {},
  "POST /fil/annonces/:id/retirer": {},
  "POST /admin/connecteurs/:slug/desactiver": {},
  "POST /compte/notifications/appareils/oublier": {},
  "POST /logout": {},
};

// ——— Hostile values, by theme. A request carries one theme: at least one of its fields (query string or body) has
// a value of that theme, the others a plausible value, the theme's value or nothing — so that a request gets past
// its first field and the hostile value in the next one reaches further. Passes take the themes in this order.

const OMIT = "\u0000omit";
const THEMES = {
  nul: fc.string({ maxLength: 12 }).map((s) => `${MARK}${s}\u0000${s}`),
  dates: fc.constantFrom(
    "2026-13-45",
    "0000-00-00",
    "2026-02-30",
    "0000-01-01",
    "9999-12-31",
    "24:61",
    "24:00",
    "2026-12-20T24:61",
    "2026-13-45T10:00",
    "0001-01-01T08:00",
    "2026-12",
  ),
  numbers: fc.constantFrom(
    "-1",
    "0",
    "1e309",
    "99999999999999999999",
    "-9007199254740993",
    "NaN",
    "Infinity",
    "0x1F",
    "1.5",
    "-0",
  ),
  repeated: fc.array(fc.oneof(fc.constantFrom("1", "2026-12-16", "oui"), fc.constant(`${MARK}bis`)), {
    minLength: 2,
    maxLength: 3,
  }),
  unicode: fc.oneof(
    fc.constant(`${MARK} seul \uD800 ou \uDFFF`),
    fc.constant(`${MARK}\u202Eexe.fdp\u202C \u2067caché\u2069`),
    fc.constant(`${MARK}e\u0301\u200B\uFEFF🙂\u0007\r\n=1+1`),
    fc.constant(`${MARK}<script>alert(1)</script>"'&amp;`),
    fc.constant(`${MARK}' or 1=1 --`),
    fc.constant(`${MARK}../../../etc/passwd`),
    fc.string({ unit: "binary", maxLength: 30 }).map((s) => `${MARK}${s.replaceAll("\u0000", "")}`),
  ),
  huge: fc.constantFrom(`${MARK}${"a".repeat(1_000_000)}`, `${MARK}${"é".repeat(150_000)}`),
  missing: fc.constantFrom(OMIT, "", "   "),
};
type Theme = keyof typeof THEMES;
const THEME_ORDER = Object.keys(THEMES) as Theme[];

/** Values a form would accept: a real day, a time, the forms' choices (and the world's ids, given as `known`). */
const PLAUSIBLE = [
  "2026-12-16",
  "10:00",
  "2026-12-16T10:00",
  "1",
  "3",
  "oui",
  "on",
  "matin",
  "once",
  "weekly",
  "parent",
];

/** A route's fields (`names`) filled for one theme: one of them (at random) of the theme, the others plausible, of
 *  the theme too, or left out. */
function valuesOf(names: string[], theme: Theme, known: string[]): fc.Arbitrary<Record<string, string | string[]>> {
  if (!names.length) return fc.constant({});
  const themed: fc.Arbitrary<string | string[]> = THEMES[theme];
  const other = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...PLAUSIBLE, ...known) },
    { weight: 2, arbitrary: themed },
    { weight: 1, arbitrary: fc.constant(OMIT) },
  );
  return fc
    .tuple(fc.nat({ max: names.length - 1 }), themed, fc.tuple(...names.map(() => other)))
    .map(([forced, forcedValue, values]) =>
      Object.fromEntries(
        names
          .map((n, i) => [n, i === forced ? forcedValue : values[i]!] as const)
          .filter((e): e is [string, string | string[]] => e[1] !== OMIT),
      ),
    );
}

/** The submitted texts a log line must not hold: every hostile text (by its mark), and hostile raw values long
 *  enough to be told apart (ids and plausible values are left out: paths and request lines name ids by design). */
const submitted = (values: Record<string, string | string[]>, exempt: string[]) =>
  Object.values(values)
    .flat()
    .filter((v) => v.includes(MARK) || (v.trim().length >= 6 && !exempt.includes(v) && !PLAUSIBLE.includes(v)))
    .map((v) => (v.includes(MARK) ? MARK : v));

// ——— The people, the world they make through the app, and their browsers

type Profile = "pupil" | "parent" | "teacher" | "director" | "academie" | "anonymous";
/** Who sends: five signed-in profiles, and a visitor who is not signed in (with the login page's CSRF token). */
const PROFILES: Profile[] = ["pupil", "parent", "teacher", "director", "academie", "anonymous"];
const SOME_ID = "00000000-0000-4000-8000-000000000000";

interface World {
  uai: string;
  classId: string;
  pupilId: string;
  messageId: string;
  attachmentId: string;
  draftId: string;
  pollId: string;
  noteId: string;
  entryId: string;
  wallId: string;
  postitId: string;
  documentId: string;
  eventId: string;
  offerId: string;
  bookingId: string;
  batchId: string;
  announcementId: string;
  slug: string;
  icalToken: string;
}

/** The path with its parameters filled with ids of the world (a fresh uuid where none exists: an import, a block). */
function pathOf(pattern: string, w: World): string {
  const byPrefix: [string, string][] = [
    ["/classes/:id", w.classId],
    ["/personnes/:id", w.pupilId],
    ["/agenda/creneaux/:id", w.offerId],
    ["/agenda/evenements/:id", w.eventId],
    ["/agenda/reservations/:id", w.bookingId],
    ["/cahier/entrees/:id", w.entryId],
    ["/carnet/:id", w.noteId],
    ["/documents/:id", w.documentId],
    ["/fil/annonces/:id", w.announcementId],
    ["/messagerie/brouillons/:id", w.draftId],
    ["/messagerie/:id", w.messageId],
    ["/messagerie/moderation/:id", w.messageId],
    ["/murs/:id", w.wallId],
    ["/sondages/:id", w.pollId],
  ];
  const id = byPrefix.find(([prefix]) => pattern.startsWith(prefix))?.[1] ?? SOME_ID;
  return pattern
    .replace(":id", id)
    .replace(":classId", w.classId)
    .replace(":wallId", w.wallId)
    .replace(":uai", w.uai)
    .replace(":slug", w.slug)
    .replace(":pid", w.postitId)
    .replace(":batch", w.batchId)
    .replace(":attachment", w.attachmentId)
    .replace(":userId", w.pupilId)
    .replace(":token", w.icalToken)
    .replace(":room", `${w.uai}:wall:${w.wallId}`)
    .replace(":uid", "hostile")
    .replace(":format", "odt");
}

/** Tables a refusal writes by design: a refused sign-in, SSO hand-off or password change (a wrong current password)
 *  is audited, and sign-ins counted for the lockout. */
const AUDITED = ["audit_chain_head", "audit_log"];
const WRITTEN_ON_REFUSAL: Record<string, string[]> = {
  "POST /login": [...AUDITED, "login_attempts"],
  "POST /login/code": [...AUDITED, "login_challenges"],
  "GET /sso/arrivee": AUDITED,
  "POST /sso/choix": AUDITED,
  "POST /compte/mot-de-passe": AUDITED,
};
/** Written on every request (the session's sliding expiry). */
const ALWAYS_WRITTEN = ["sessions"];

/** The walk goes over every route once per pass. Pass k carries the k-th theme (NUL first, then impossible dates,
 *  numbers, repeated fields, Unicode, 1 MB, missing fields: THEME_ORDER) as the k-th profile after the route's
 *  own; 42 passes give every route every theme as every profile. The first MIN_PASSES always run (the defects
 *  found by the probe were of the first two themes); later ones while FC_BUDGET_MS lasts, up to FC_PASSES, so that
 *  CI keeps its time whatever the machine. */
const MIN_PASSES = 2;
const PASSES = Number(process.env.FC_PASSES ?? 42);
const BUDGET_MS = Number(process.env.FC_BUDGET_MS ?? 30_000);

describe("hostile input on every route (property-based)", () => {
  let client: PGlite;
  let db: Database;
  let platform: Platform;
  let app: Hono<any>;
  let rooms: NodeRooms;
  let world: World;
  const people = new Map<Profile, BuiltUser>();
  const browsers = new Map<Profile, TestBrowser>();
  const lines: string[] = [];

  const query = async <T>(q: ReturnType<typeof sql>) =>
    withTenant(db, systemScope, async (tx) => rowsOf<T>(await tx.execute(q)));
  const first = async (q: ReturnType<typeof sql>) => (await query<{ id: string }>(q))[0]?.id ?? SOME_ID;
  const sessionOf = (b: TestBrowser) => b.cookie("preau_session") ?? b.cookie("__Host-preau_session");
  /** The last row the change triggers noted, and the tables written since a mark. */
  const lastChange = async () =>
    Number((await client.query<{ n: string }>("select coalesce(max(id), 0) as n from hostile_changes")).rows[0]!.n);
  const writtenSince = async (mark: number) =>
    (
      await client.query<{ tbl: string }>("select distinct tbl from hostile_changes where id > $1 order by tbl", [mark])
    ).rows
      .map((r) => r.tbl)
      .filter((t) => !ALWAYS_WRITTEN.includes(t));

  /** What each account's sign-in needs, noted before the walk: a hostile value may be a valid one (the pupil's id in
   *  a suspension form, an empty week in the hours form), and that change is the app working, not a failure. */
  const restorable = new Map<string, string>();
  async function restore(user: BuiltUser) {
    const hash = restorable.get(user.id);
    if (!hash) {
      const [row] = await query<{ h: string }>(
        sql`select password_hash as h from credentials where user_id = ${user.id}`,
      );
      restorable.set(user.id, row!.h);
      return;
    }
    await query(sql`update credentials set password_hash = ${hash} where user_id = ${user.id}`);
    await query(sql`update users set state = 'active', expires_at = null where id = ${user.id}`);
    await query(sql`update school_settings set pupil_hours = null`);
    await query(sql`delete from login_attempts`);
  }

  async function signIn(profile: Profile): Promise<TestBrowser> {
    const b = new TestBrowser(app);
    const user = people.get(profile);
    if (user) {
      await restore(user);
      expect((await b.login(user.login, user.password)).status, `${profile} signs in`).toBe(303);
      await b.get("/");
    } else await b.get("/login");
    browsers.set(profile, b);
    return b;
  }
  /** The profile's browser, signed in again if a request (POST /logout…) ended its session. */
  const browserOf = async (profile: Profile) => {
    const b = browsers.get(profile)!;
    return profile === "anonymous" || sessionOf(b) ? b : signIn(profile);
  };

  beforeAll(async () => {
    // A copy of the worker's migrated PGlite (other files' rows in it are harmless): no migration to wait for. (The
    // worker's handle is createPgliteDatabase's, client included.)
    const shared = (await testDatabase("pglite")) as unknown as { client: PGlite };
    client = (await shared.client.clone()) as PGlite;
    db = drizzle(client, { schema }) as unknown as Database;
    // Every row written, by table: the app's role writes through these triggers (security definer).
    await client.exec(`
      create table hostile_changes (id bigserial primary key, tbl text not null);
      create function hostile_note() returns trigger language plpgsql security definer as $$
        begin insert into hostile_changes (tbl) values (tg_table_name); return null; end $$;
      do $$ declare t text; begin
        for t in select tablename from pg_tables where schemaname = 'public' and tablename <> 'hostile_changes' loop
          execute format('create trigger hostile_note after insert or update or delete on %I
            for each row execute function hostile_note()', t);
        end loop;
      end $$;`);
    const tp = await platformOn({ kind: "pglite", db, close: async () => {} });
    // A Tuesday morning in term: pupils are inside their hours.
    tp.clock.set("2026-12-15T10:00:00+01:00");
    rooms = new NodeRooms({ dir: mkdtempSync(join(tmpdir(), "preau-hostile-rooms-")), idleMs: 60_000 });
    platform = {
      ...tp.platform,
      rooms,
      log: { log: (level, event, fields) => lines.push(JSON.stringify({ level, event, ...fields })) },
    };
    app = await createApp(platform);
    const s = await buildSchoolWithClass(db, platform.passwords);
    const academie = await buildStructure(db, "academie");
    people.set("pupil", s.pupil);
    people.set("parent", s.parent);
    people.set("teacher", s.teacher);
    people.set("director", s.director);
    people.set(
      "academie",
      await buildUser(db, platform.passwords, { profile: "academie_admin", structureId: academie }),
    );
    for (const p of PROFILES) await signIn(p);
    world = await buildWorld(s);
  }, 240_000);

  afterAll(async () => {
    await rooms?.stop();
    await client?.close();
  });

  /** What the walk's ids point at, made by its people through the app's own forms. */
  async function buildWorld(s: Awaited<ReturnType<typeof buildSchoolWithClass>>): Promise<World> {
    const teacher = browsers.get("teacher")!;
    const director = browsers.get("director")!;
    const parent = browsers.get("parent")!;
    const academie = browsers.get("academie")!;
    const { classId } = s;
    const { uai } = s.school;
    const pupilId = s.pupil.id;
    const ok = (res: Page, what: string) => expect([200, 303], `${what}: ${res.status}`).toContain(res.status);

    await teacher.get("/messagerie/nouveau");
    ok(
      await teacher.upload(
        "/messagerie/nouveau",
        { objet: "Sortie au musée", texte: "Autorisation jointe.", destinataires: s.parent.id },
        { pieces: { name: "autorisation.pdf", content: "%PDF-1.4\n%…\n", type: "application/pdf" } },
      ),
      "message",
    );
    ok(await teacher.post("/messagerie/nouveau", { action: "brouillon", objet: "Brouillon", texte: "x" }), "draft");
    await teacher.get("/sondages/nouveau");
    ok(
      await teacher.post("/sondages/nouveau", {
        ecole: uai,
        question: "Quel jour pour la fête ?",
        choix: "Vendredi\nSamedi",
        fin: "2026-12-20T18:00",
        groupes: `parents:${classId}`,
      }),
      "poll",
    );
    ok(
      await teacher.post("/carnet/nouveau", {
        pour: `classe:${classId}`,
        titre: "Piscine",
        texte: "Prévoir un bonnet.",
        reponse: "yesno",
        rappel: "",
      }),
      "note",
    );
    ok(
      await teacher.post(`/cahier/${classId}`, {
        jour: "2026-12-15",
        matiere: "Mathématiques",
        fait_en_classe: "Fractions",
        a_faire: "Exercice 3",
        pour_le: "2026-12-17",
        liens: "",
      }),
      "homework",
    );
    ok(
      await teacher.post(`/appel/${classId}`, {
        jour: "2026-12-15",
        demi: "matin",
        [`statut:${pupilId}`]: "absent",
        [`motif:${pupilId}`]: "Rendez-vous",
      }),
      "roll",
    );
    ok(
      await teacher.post("/murs", {
        titre: "Mur de la classe",
        cible: `classe:${classId}`,
        disposition: "free",
        mode: "open",
        colonnes: "",
      }),
      "wall",
    );
    const wallId = await first(sql`select id from walls where class_id = ${classId}`);
    ok(await teacher.post(`/murs/${wallId}/postits`, { texte: "Bonjour", couleur: "jaune", colonne: "0" }), "post-it");
    const postitId = await rooms.read(`${uai}:wall:${wallId}`, (doc) => readPostits(doc)[0]?.id ?? SOME_ID);
    ok(await teacher.post("/documents", { titre: "Projet de classe" }), "document");
    ok(
      await teacher.post("/agenda/nouveau", {
        calendrier: `class:${classId}`,
        titre: "Sortie",
        jour: "2026-12-18",
        debut: "14:00",
        fin: "15:00",
        lieu: "",
        precisions: "",
      }),
      "event",
    );
    ok(
      await teacher.post("/agenda/creneaux", {
        classe: classId,
        sorte: "meeting",
        titre: "Rencontres",
        lieu: "Classe",
        precisions: "",
        jour: "2026-12-21",
        debut: "16:30",
        fin: "17:30",
        duree: "15",
        places: "1",
      }),
      "offer",
    );
    ok(
      await teacher.post("/fil/dates/nouvelle", {
        titre: "Spectacle",
        date: "2026-12-19",
        audience: `classe:${classId}`,
      }),
      "date",
    );
    await director.get("/fil/annonces/nouvelle");
    ok(
      await director.post("/fil/annonces/nouvelle", {
        titre: "École fermée",
        texte: "Alerte météo.",
        profils: ["parent"],
        jusqua: "2026-12-18",
        audience: `ecole:${uai}`,
      }),
      "announcement",
    );
    const offerId = await first(sql`select id from agenda_offers where class_id = ${classId}`);
    const slotId = await first(sql`select id from agenda_slots where offer_id = ${offerId} order by starts_at`);
    await parent.get(`/agenda/creneaux/${offerId}`);
    ok(await parent.post(`/agenda/creneaux/${offerId}/reserver`, { creneau: slotId, enfant: pupilId }), "booking");
    ok(await teacher.post("/agenda/abonnements", { calendrier: "personal" }), "feed");
    const icalToken = /\/ical\/([^"<\s]+)/.exec((await teacher.get("/agenda/abonnements")).html)?.[1] ?? "x";
    await academie.get("/admin/connecteurs");
    ok(
      await academie.post("/admin/connecteurs", {
        nom: "Bibliothèque",
        identifiant: "bibliotheque-hostile",
        description: "Livres",
        protocole: "cas",
        adresse: "https://biblio.example.fr/",
        services: "https://biblio.example.fr/",
        categorie: "3",
        ident: "opaque",
        ecoles: uai,
      }),
      "connector",
    );
    const slug =
      /\/admin\/connecteurs\/([a-z0-9-]+)\/(?:des)?activer/.exec(
        (await academie.get("/admin/connecteurs")).html,
      )?.[1] ?? "x";
    const teacherId = s.teacher.id;
    return {
      uai,
      classId,
      pupilId,
      messageId: await first(sql`select id from messages where sender_id = ${teacherId} and state = 'sent'`),
      attachmentId: await first(sql`select a.id from message_attachments a join messages m on m.id = a.message_id
        where m.sender_id = ${teacherId}`),
      draftId: await first(sql`select id from messages where sender_id = ${teacherId} and state = 'draft'`),
      pollId: await first(sql`select id from polls where author_id = ${teacherId}`),
      noteId: await first(sql`select id from liaison_notes where author_id = ${teacherId}`),
      entryId: await first(sql`select id from homework_entries where class_id = ${classId}`),
      wallId,
      postitId,
      documentId: await first(sql`select id from documents where owner_id = ${teacherId}`),
      eventId: await first(sql`select id from agenda_events where owner_id = ${teacherId} and title = 'Sortie'`),
      offerId,
      bookingId: await first(sql`select id from agenda_bookings where slot_id = ${slotId}`),
      batchId: await first(sql`select batch_id as id from important_dates where class_id = ${classId}`),
      announcementId: await first(sql`select id from announcements where author_id = ${s.director.id}`),
      slug,
      icalToken,
    };
  }

  it("the walk covers every route the app serves, and the world its ids come from exists", () => {
    const served = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
    const walked = new Set(Object.keys(ROUTES));
    expect([...served].filter((r) => !walked.has(r)).sort(), "routes missing from ROUTES").toEqual([]);
    expect([...walked].filter((r) => !served.has(r)).sort(), "ROUTES the app no longer serves").toEqual([]);
    const missing = Object.entries(world)
      .filter(([, v]) => v === SOME_ID || v === "x")
      .map(([k]) => k);
    expect(missing, "world ids not found").toEqual([]);
  });

  it("hostile values in every form, query string and JSON body, as each profile: no 5xx, French refusals that change " +
    "nothing, no submitted text in logs", async () => {
    // The route's place in ROUTES picks its profiles, so that FC_PATH replays a failure as the same profile.
    const routes = [...Object.entries(ROUTES).entries()].filter(
      ([, [key]]) => !process.env.FC_PATH || key === process.env.FC_PATH,
    );
    const started = Date.now();
    let requests = 0;
    let passes = 0;
    while (passes < PASSES && (passes < MIN_PASSES || Date.now() - started < BUDGET_MS)) {
      for (const [index, [key, spec]] of routes) {
        const profile = PROFILES[(index + passes) % PROFILES.length]!;
        const theme = (process.env.FC_THEME as Theme | undefined) ?? THEME_ORDER[passes % THEME_ORDER.length]!;
        await fc.assert(hostileRequest(key, spec, profile, theme), {
          numRuns: 1,
          endOnFailure: true,
          ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
        });
        requests += 1;
      }
      passes += 1;
    }
    // The walk's size and time, for whoever tunes FC_PASSES and FC_BUDGET_MS.
    console.info(
      `hostile walk: ${passes} pass(es), ${requests} requests in ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, 300_000);

  /** One request to the route as the profile, with hostile values in everything it reads, and the checks. */
  function hostileRequest(key: string, spec: RouteSpec, profile: Profile, theme: Theme) {
    const [method, pattern] = key.split(" ") as ["GET" | "POST", string];
    const names = [...(spec.fields ?? []), ...(spec.files ?? []), ...(spec.json ?? [])];
    const w = world;
    const known = [w.pupilId, w.classId, w.uai, `classe:${w.classId}`, `parents:${w.classId}`, w.messageId, w.slug];
    const query = (spec.query ?? []).map((n) => `?${n}`);
    const body = names.map((n) => n.replace("{pupil}", w.pupilId));
    return fc.asyncProperty(valuesOf([...query, ...body], theme, known), async (values) => {
      const queryValues = Object.fromEntries(
        Object.entries(values)
          .filter(([k]) => k.startsWith("?"))
          .map(([k, v]) => [k.slice(1), v]),
      );
      const bodyValues = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith("?")));
      const b = await browserOf(profile);
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(queryValues)) for (const x of [v].flat()) qs.append(k, x);
      const path = `${pathOf(pattern, world)}${qs.size ? `?${qs}` : ""}`;
      const logged = lines.length;
      const mark = await lastChange();
      const res = await send(b, method, path, spec, bodyValues);
      const what = `${profile} (${theme}) ${method} ${path.slice(0, 200)} → ${res.status}`;
      expect(res.status, what).toBeLessThan(500);
      const log = lines.slice(logged).join("\n");
      for (const text of submitted({ ...queryValues, ...bodyValues }, known))
        expect(log.includes(text), `${what}: a log line holds the submitted ${text.slice(0, 40)}`).toBe(false);
      if (res.status >= 400) {
        expect(frenchRefusal(res), `${what}: not a French refusal: ${res.text.slice(0, 300)}`).toBe(true);
        const allowed = WRITTEN_ON_REFUSAL[key] ?? [];
        const written = (await writtenSince(mark)).filter((t) => !allowed.includes(t));
        expect(written, `${what}: the refusal wrote to the database`).toEqual([]);
      }
    });
  }
});

async function send(
  b: TestBrowser,
  method: "GET" | "POST",
  path: string,
  spec: RouteSpec,
  values: Record<string, string | string[]>,
): Promise<Page> {
  if (method === "GET") return b.get(path);
  if (spec.json) return b.postJson(path, values);
  if (spec.files) {
    const fields = Object.fromEntries(Object.entries(values).filter(([k]) => !spec.files!.includes(k)));
    const files = Object.fromEntries(
      spec.files
        .filter((k) => k in values)
        .map((k) => {
          const name = [values[k]!].flat()[0]!;
          return [k, { name: name.slice(0, 300), content: name, type: "application/octet-stream" }];
        }),
    );
    return b.upload(path, fields, files);
  }
  return b.post(path, values);
}

/** A refusal the user can read: JSON with an error message, or a French page (its heading, an alert or a field's
 *  error saying what went wrong). */
function frenchRefusal(res: Page): boolean {
  if (res.headers.get("content-type")?.includes("application/json")) {
    const body = JSON.parse(res.html) as { error?: unknown };
    return typeof body.error === "string" && body.error.length > 0;
  }
  return (
    res.html.includes('<html lang="fr"') &&
    (res.html.includes("<h1") || res.html.includes('role="alert"') || res.html.includes('class="field-error"'))
  );
}
