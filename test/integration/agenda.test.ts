// 54C agenda and booking: personal, class and school calendars read and written by the right people; a teacher's
// meeting slots booked by parents, one family a slot, with confirmations and a reminder the day before that fires once
// and not after a cancellation; outings that need several companions; iCalendar export and private subscription
// addresses that a real parser reads; bad input refused in French, writing nothing; another school reaches nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import ical, { type CalendarComponent, type VEvent } from "node-ical";
import { rowsOf, systemScope, withTenant } from "../../db/client";
import { t } from "../../src/i18n";
import { runDueJobs } from "../../src/jobs/runner";
import { agendaReminder } from "../../src/services/classroom/booking";
import { silentLogger } from "../../src/log";
import { createApp } from "../../src/app";
import { mailFlush } from "../../src/jobs/mail";
import { smtpTransport } from "../../src/node/mail";
import { DATABASE_KINDS } from "../helpers/db";
import { TestBrowser } from "../helpers/client";
import { buildSchoolWithClass, buildUser, linkParent, type BuiltUser } from "../helpers/factories";
import { testApp, testPlatform } from "../helpers/platform";
import { startSmtpReceiver } from "../helpers/smtp";

const NOW = "2026-12-09T10:00:00+01:00";

describe.each(DATABASE_KINDS)("agenda and booking on %s", (kind) => {
  let env: Awaited<ReturnType<typeof testApp>>;
  let s: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let other: Awaited<ReturnType<typeof buildSchoolWithClass>>;
  let otherPupilParent: BuiltUser;

  async function as(user: BuiltUser) {
    const b = new TestBrowser(env.app);
    expect((await b.login(user.login, user.password)).status).toBe(303);
    return b;
  }
  async function addEvent(user: BuiltUser, fields: Record<string, string>) {
    const b = await as(user);
    await b.get("/agenda/nouveau");
    return b.post("/agenda/nouveau", {
      calendrier: "personal",
      titre: "Événement",
      jour: "2026-12-10",
      debut: "14:00",
      fin: "15:00",
      lieu: "",
      precisions: "",
      ...fields,
    });
  }
  async function openSlots(fields: Record<string, string>) {
    const b = await as(s.teacher);
    await b.get("/agenda/creneaux");
    return b.post("/agenda/creneaux", {
      classe: s.classId,
      sorte: "meeting",
      titre: "Rencontres du premier trimestre",
      jour: "2026-12-15",
      debut: "16:30",
      fin: "17:30",
      duree: "15",
      places: "",
      lieu: "Salle 3",
      precisions: "",
      ...fields,
    });
  }
  const count = async (table: string) =>
    withTenant(
      env.platform.db,
      systemScope,
      async (tx) => rowsOf<{ n: number }>(await tx.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n,
    );
  const offerId = (location: string) => /\/agenda\/creneaux\/([0-9a-f-]{36})/.exec(location)![1]!;
  const slotIds = async (offer: string) =>
    withTenant(env.platform.db, systemScope, async (tx) =>
      rowsOf<{ id: string }>(
        await tx.execute(sql`select id from agenda_slots where offer_id = ${offer} order by starts_at`),
      ).map((r) => r.id),
    );
  const noticesOf = async (userId: string, like: string) =>
    withTenant(env.platform.db, systemScope, async (tx) =>
      rowsOf<{ title: string }>(
        await tx.execute(
          sql`select title from notifications where user_id = ${userId} and title like ${like} order by created_at`,
        ),
      ).map((r) => r.title),
    );

  beforeAll(async () => {
    env = await testApp(kind);
    env.clock.set(NOW);
    s = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    other = await buildSchoolWithClass(env.platform.db, env.platform.passwords);
    otherPupilParent = await buildUser(env.platform.db, env.platform.passwords, {});
    await linkParent(env.platform.db, otherPupilParent.id, s.otherPupil.id, s.school.uai);
  });

  it(
    "54C each calendar reaches its people: the class's for its pupils and parents, the school's for all of it, a " +
      "personal one for its owner",
    async () => {
      expect((await addEvent(s.teacher, { calendrier: `class:${s.classId}`, titre: "Piscine" })).location).toBe(
        "/agenda?du=2026-12-10&fait=cree",
      );
      expect(
        (
          await addEvent(s.director, {
            calendrier: `school:${s.school.uai}`,
            titre: "Marché de Noël",
            jour: "2026-12-11",
            journee: "1",
          })
        ).status,
      ).toBe(303);
      expect((await addEvent(s.parent, { titre: "Dentiste de Camille" })).status).toBe(303);
      const week = async (user: BuiltUser, query = "") =>
        (await (await as(user)).get(`/agenda?du=2026-12-10${query}`)).text;
      const pupil = await week(s.pupil);
      expect(pupil).toContain("Piscine");
      expect(pupil).toContain("Marché de Noël");
      expect(pupil).toContain(t("agenda.all_day"));
      expect(pupil).not.toContain("Dentiste de Camille");
      const parent = await week(s.parent);
      expect(parent).toContain("Piscine");
      expect(parent).toContain("Dentiste de Camille");
      // 57E: one calendar at a time.
      const onlyClass = await week(s.parent, `&calendrier=class:${s.classId}`);
      expect(onlyClass).toContain("Piscine");
      expect(onlyClass).not.toContain("Dentiste de Camille");
      expect(onlyClass).not.toContain("Marché de Noël");
      for (const outsider of [other.teacher, other.parent, other.director]) {
        const text = await week(outsider);
        expect(text).not.toContain("Piscine");
        expect(text).not.toContain("Marché de Noël");
      }
      // The pupils and parents of the class are told of a class event.
      expect(await noticesOf(s.pupil.id, "Agenda de la classe%Piscine")).toHaveLength(1);
      expect(await noticesOf(s.parent.id, "Agenda de la classe%Piscine")).toHaveLength(1);
    },
  );

  it(
    "54C only the class's teachers and the director write its calendar; bad input is refused in French and writes " +
      "nothing",
    async () => {
      const before = await count("agenda_events");
      // A pupil reads the class calendar but cannot write in it.
      const pupil = await addEvent(s.pupil, { calendrier: `class:${s.classId}` });
      expect(pupil.status).toBe(422);
      expect(pupil.text).toContain(t("agenda.error.calendar"));
      // Another school's class or school is not one of the user's calendars at all.
      expect((await addEvent(s.teacher, { calendrier: `class:${other.classId}` })).status).toBe(404);
      expect((await addEvent(s.teacher, { calendrier: `school:${other.school.uai}` })).status).toBe(404);
      for (const [fields, issue] of [
        [{ titre: "" }, "title"],
        [{ titre: "x".repeat(10_000) }, "title"],
        [{ precisions: "x".repeat(10_000) }, "details"],
        [{ jour: "demain" }, "day"],
        [{ jour: "2026-02-30" }, "day"],
        [{ debut: "25:00" }, "time"],
        [{ debut: "15:00", fin: "14:00" }, "order"],
        [{ jour: "2026-12-01" }, "past"],
        [{ jour: "2028-01-10" }, "far"],
        [{ journee: "1", fin_jour: "2027-02-28" }, "long"],
      ] as const) {
        const res = await addEvent(s.teacher, fields as Record<string, string>);
        expect(res.status, issue).toBe(422);
        expect(res.text).toContain(t(`agenda.error.${issue}` as never));
      }
      expect(await count("agenda_events")).toBe(before);
    },
  );

  it("54C an event's page and its removal belong to those who may write its calendar", async () => {
    await addEvent(s.teacher, { calendrier: `class:${s.classId}`, titre: "Sortie au théâtre", jour: "2026-12-17" });
    const [ev] = await withTenant(env.platform.db, systemScope, async (tx) =>
      rowsOf<{ id: string }>(
        await tx.execute(sql`
      select id from agenda_events where title = 'Sortie au théâtre'`),
      ),
    );
    const parent = await as(s.parent);
    const page = await parent.get(`/agenda/evenements/${ev!.id}`);
    expect(page.text).toContain("Sortie au théâtre");
    expect(page.text).not.toContain(t("agenda.remove"));
    expect((await parent.post(`/agenda/evenements/${ev!.id}/supprimer`, {})).status).toBe(404);
    const outsider = await as(other.director);
    expect((await outsider.get(`/agenda/evenements/${ev!.id}`)).status).toBe(404);
    await outsider.get("/agenda");
    expect((await outsider.post(`/agenda/evenements/${ev!.id}/supprimer`, {})).status).toBe(404);
    const director = await as(s.director);
    await director.get(`/agenda/evenements/${ev!.id}`);
    expect((await director.post(`/agenda/evenements/${ev!.id}/supprimer`, {})).location).toBe("/agenda?fait=supprime");
    expect((await parent.get(`/agenda/evenements/${ev!.id}`)).status).toBe(404);
  });

  it(
    "54C parents book the teacher's meeting slots: one family a slot, one slot a family, both confirmed; the " +
      "reminder fires once the day before",
    async () => {
      const res = await openSlots({});
      expect(res.status).toBe(303);
      const id = offerId(res.location!);
      const slots = await slotIds(id);
      expect(slots).toHaveLength(4);
      expect(await noticesOf(s.parent.id, "Rendez-vous à choisir%")).toHaveLength(1);
      const parent = await as(s.parent);
      const page = await parent.get(`/agenda/creneaux/${id}`);
      expect(page.text).toContain(t("agenda.offer.choose"));
      expect(
        (await parent.post(`/agenda/creneaux/${id}/reserver`, { creneau: slots[1]!, enfant: s.pupil.id })).location,
      ).toBe(`/agenda/creneaux/${id}?fait=reserve`);
      expect((await parent.get(`/agenda/creneaux/${id}`)).text).toContain(t("agenda.offer.cancel"));
      // Both sides are confirmed.
      expect(await noticesOf(s.parent.id, "Confirmé : Rencontres%")).toEqual([
        "Confirmé : Rencontres du premier trimestre, le 15/12/2026 de 16:45 à 17:00",
      ]);
      expect(await noticesOf(s.teacher.id, "Créneau réservé%")).toHaveLength(1);
      // Once per family and offer; the slot is taken for the other family; a parent books only for their own child.
      const again = await parent.post(`/agenda/creneaux/${id}/reserver`, { creneau: slots[2]!, enfant: s.pupil.id });
      expect(again.status).toBe(422);
      expect(again.text).toContain(t("agenda.booking.error.already"));
      const otherFamily = await as(otherPupilParent);
      await otherFamily.get(`/agenda/creneaux/${id}`);
      const full = await otherFamily.post(`/agenda/creneaux/${id}/reserver`, {
        creneau: slots[1]!,
        enfant: s.otherPupil.id,
      });
      expect(full.status).toBe(422);
      expect(full.text).toContain(t("agenda.booking.error.full"));
      const notMine = await otherFamily.post(`/agenda/creneaux/${id}/reserver`, {
        creneau: slots[0]!,
        enfant: s.pupil.id,
      });
      expect(notMine.text).toContain(t("agenda.booking.error.child"));
      expect(
        (await otherFamily.post(`/agenda/creneaux/${id}/reserver`, { creneau: slots[0]!, enfant: s.otherPupil.id }))
          .status,
      ).toBe(303);
      // The teacher sees who booked; the booking is in each calendar.
      const teacher = await as(s.teacher);
      const table = (await teacher.get(`/agenda/creneaux/${id}`)).text;
      expect(table).toContain(t("agenda.offer.taken", { taken: 1, capacity: 1 }));
      expect((await teacher.get("/agenda?du=2026-12-15")).text).toContain(t("agenda.source.slot"));
      expect((await parent.get("/agenda?du=2026-12-15")).text).toContain(t("agenda.source.booking"));
      // Nobody else cancels it: not the first family, not another school's teacher or director.
      const [theirBooking] = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ id: string }>(
          await tx.execute(sql`
      select id from agenda_bookings where parent_id = ${otherPupilParent.id}`),
        ),
      );
      expect((await parent.post(`/agenda/reservations/${theirBooking!.id}/annuler`, {})).status).toBe(404);
      for (const outsider of [other.teacher, other.director]) {
        const b = await as(outsider);
        await b.get("/agenda");
        expect((await b.post(`/agenda/reservations/${theirBooking!.id}/annuler`, {})).status).toBe(404);
      }
      const still = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf(
          await tx.execute(sql`
      select 1 from agenda_bookings where id = ${theirBooking!.id}`),
        ),
      );
      expect(still).toHaveLength(1);
      // The other family cancels: the teacher is told, the slot is free again and its reminder never goes.
      const [theirs] = await withTenant(env.platform.db, systemScope, async (tx) =>
        rowsOf<{ id: string }>(
          await tx.execute(sql`
      select id from agenda_bookings where parent_id = ${otherPupilParent.id}`),
        ),
      );
      expect((await otherFamily.post(`/agenda/reservations/${theirs!.id}/annuler`, {})).location).toBe(
        `/agenda/creneaux/${id}?fait=annule`,
      );
      expect(await noticesOf(s.teacher.id, "Annulé : Rencontres%")).toHaveLength(1);
      const handlers = {
        "agenda.remind": async (payload: Record<string, unknown>, ctx: { now: Date }) => {
          await agendaReminder(env.platform.db, String(payload.bookingId), ctx.now, {}, env.platform.config.timeZone);
        },
      };
      try {
        env.clock.set("2026-12-14T16:44:00+01:00");
        await runDueJobs(env.platform.db, handlers, () => env.clock.now(), silentLogger);
        expect(await noticesOf(s.parent.id, "Rappel : Rencontres%")).toHaveLength(0);
        env.clock.set("2026-12-14T16:46:00+01:00");
        await runDueJobs(env.platform.db, handlers, () => env.clock.now(), silentLogger);
        expect(await noticesOf(s.parent.id, "Rappel : Rencontres%")).toHaveLength(1);
        expect(await noticesOf(s.teacher.id, "Rappel : Rencontres%")).toHaveLength(1);
        expect(await noticesOf(otherPupilParent.id, "Rappel : Rencontres%")).toHaveLength(0);
        // Once, even if the job runs again.
        const [mine] = await withTenant(env.platform.db, systemScope, async (tx) =>
          rowsOf<{ id: string }>(
            await tx.execute(sql`
        select id from agenda_bookings where parent_id = ${s.parent.id} and offer_id = ${id}`),
          ),
        );
        expect(await agendaReminder(env.platform.db, mine!.id, env.clock.now(), {}, env.platform.config.timeZone)).toBe(
          false,
        );
        expect(await noticesOf(s.parent.id, "Rappel : Rencontres%")).toHaveLength(1);
      } finally {
        env.clock.set(NOW);
      }
    },
  );

  it(
    "54C an outing takes several companions; pupils and " +
      "other schools never see an offer; bad offers write nothing",
    async () => {
      const res = await openSlots({
        sorte: "outing",
        titre: "Sortie à la ferme",
        debut: "09:00",
        fin: "16:00",
        places: "2",
        duree: "",
      });
      const id = offerId(res.location!);
      const [slot] = await slotIds(id);
      for (const family of [s.parent, otherPupilParent]) {
        const b = await as(family);
        await b.get(`/agenda/creneaux/${id}`);
        const child = family === s.parent ? s.pupil.id : s.otherPupil.id;
        expect((await b.post(`/agenda/creneaux/${id}/reserver`, { creneau: slot!, enfant: child })).status).toBe(303);
      }
      expect((await (await as(s.teacher)).get(`/agenda/creneaux/${id}`)).text).toContain(
        t("agenda.offer.taken", { taken: 2, capacity: 2 }),
      );
      expect((await (await as(s.pupil)).get(`/agenda/creneaux/${id}`)).status).toBe(404);
      for (const outsider of [other.teacher, other.parent, other.director]) {
        const b = await as(outsider);
        expect((await b.get(`/agenda/creneaux/${id}`)).status).toBe(404);
        expect((await b.get("/agenda/creneaux")).text).not.toContain("Sortie à la ferme");
      }
      const otherParent = await as(other.parent);
      await otherParent.get("/agenda/creneaux");
      expect(
        (await otherParent.post(`/agenda/creneaux/${id}/reserver`, { creneau: slot!, enfant: other.pupil.id })).status,
      ).toBe(404);
      // A parent and a pupil cannot open slots; nor can a teacher for another school's class.
      const offersBefore = await count("agenda_offers");
      const parent = await as(s.parent);
      await parent.get("/agenda/creneaux");
      expect(
        (
          await parent.post("/agenda/creneaux", {
            classe: s.classId,
            sorte: "meeting",
            titre: "x",
            jour: "2026-12-15",
            debut: "16:30",
            fin: "17:30",
            duree: "15",
          })
        ).status,
      ).toBe(404);
      expect((await openSlots({ classe: other.classId })).status).toBe(404);
      for (const [fields, issue] of [
        [{ titre: "" }, "title"],
        [{ jour: "2026-12-01" }, "past"],
        [{ debut: "17:30", fin: "16:30" }, "order"],
        [{ duree: "1" }, "duration"],
        [{ duree: "5", debut: "08:00", fin: "18:00" }, "slots"],
        [{ sorte: "outing", places: "0" }, "capacity"],
        [{ lieu: "x".repeat(10_000) }, "place"],
      ] as const) {
        const r = await openSlots(fields as Record<string, string>);
        expect(r.status, issue).toBe(422);
        expect(r.text).toContain(t(`agenda.error.${issue}` as never));
      }
      expect(await count("agenda_offers")).toBe(offersBefore);
    },
  );

  it(
    "54C the iCalendar export and the private subscription address parse with a real parser; a revoked or forged " +
      "address opens nothing",
    async () => {
      await addEvent(s.teacher, {
        calendrier: `class:${s.classId}`,
        titre: "Conseil d'école",
        jour: "2026-12-18",
        debut: "18:00",
        fin: "19:30",
        lieu: "Préau",
      });
      const parent = await as(s.parent);
      const exported = await parent.get(`/agenda/export.ics?calendrier=class:${s.classId}`);
      expect(exported.status).toBe(200);
      const events = Object.values(ical.sync.parseICS(exported.text)).filter(
        (c): c is VEvent => (c as CalendarComponent | undefined)?.type === "VEVENT",
      );
      const council = events.find((e) => e.summary === "Conseil d'école");
      expect(council?.start.toISOString()).toBe("2026-12-18T17:00:00.000Z");
      expect(council?.end?.toISOString()).toBe("2026-12-18T18:30:00.000Z");
      expect(council?.location).toBe("Préau");
      expect(events.map((e) => e.summary)).not.toContain("Dentiste de Camille");
      // Another school's calendar is not the parent's to export.
      expect((await parent.get(`/agenda/export.ics?calendrier=class:${other.classId}`)).status).toBe(404);
      await parent.get("/agenda/abonnements");
      expect((await parent.post("/agenda/abonnements", { calendrier: "all" })).location).toBe(
        "/agenda/abonnements?fait=abonnement",
      );
      const page = (await parent.get("/agenda/abonnements")).text;
      const address = /https:\/\/preau\.test(\/ical\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{24}\.ics)/.exec(page)![1]!;
      // A calendar app fetches it without signing in.
      const app = new TestBrowser(env.app);
      const feed = await app.get(address);
      expect(feed.status).toBe(200);
      const all = Object.values(ical.sync.parseICS(feed.text)).filter(
        (c): c is VEvent => (c as CalendarComponent | undefined)?.type === "VEVENT",
      );
      expect(all.map((e) => e.summary)).toEqual(expect.arrayContaining(["Conseil d'école", "Dentiste de Camille"]));
      // A whole-day event is a date, ending the next day (RFC 5545).
      const market = all.find((e) => e.summary === "Marché de Noël");
      expect(market?.datetype).toBe("date");
      expect(ical.sync.parseICS(feed.text)).toBeTruthy();
      const forged = address.replace(/\.[A-Za-z0-9_-]{24}\.ics$/, `.${"A".repeat(24)}.ics`);
      expect((await app.get(forged)).status).toBe(404);
      await parent.post("/agenda/abonnements/revoquer", { calendrier: "all" });
      expect((await app.get(address)).status).toBe(404);
      // An unknown calendar gets no address.
      expect((await parent.post("/agenda/abonnements", { calendrier: `class:${other.classId}` })).status).toBe(404);
    },
  );

  it("54C the agenda needs a signed-in user with a school life", async () => {
    const pages = ["/agenda", "/agenda/creneaux", "/agenda/abonnements", "/agenda/export.ics"];
    const anon = new TestBrowser(env.app);
    for (const path of pages) expect((await anon.get(path)).status).toBe(303);
    const nobody = await as(await buildUser(env.platform.db, env.platform.passwords, {}));
    for (const path of pages) expect((await nobody.get(path)).status).toBe(404);
  });
});

describe("54C booking confirmations by e-mail (real SMTP receiver)", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  afterAll(async () => {
    await smtp?.close();
  });

  it("54C the parent's confirmation and the reminder reach a real SMTP server with a link to the hub", async () => {
    smtp = await startSmtpReceiver();
    const tp = await testPlatform("pglite");
    tp.platform.mail = smtpTransport(smtp.url, tp.platform.config.mailFrom);
    const app = await createApp(tp.platform);
    tp.clock.set(NOW);
    const s = await buildSchoolWithClass(tp.platform.db, tp.platform.passwords);
    const email = `parent.${s.parent.id.slice(0, 8)}@exemple.fr`;
    await withTenant(tp.platform.db, systemScope, (tx) =>
      tx.execute(sql`update users set academic_email = ${email} where id = ${s.parent.id}`),
    );
    const teacher = new TestBrowser(app);
    await teacher.login(s.teacher.login, s.teacher.password);
    await teacher.get("/agenda/creneaux");
    const res = await teacher.post("/agenda/creneaux", {
      classe: s.classId,
      sorte: "meeting",
      titre: "Rencontre individuelle",
      jour: "2026-12-15",
      debut: "16:30",
      fin: "17:00",
      duree: "30",
      places: "",
      lieu: "",
      precisions: "",
    });
    const id = /\/agenda\/creneaux\/([0-9a-f-]{36})/.exec(res.location!)![1]!;
    const parent = new TestBrowser(app);
    await parent.login(s.parent.login, s.parent.password);
    const page = await parent.get(`/agenda/creneaux/${id}`);
    const slot = /name="creneau" value="([0-9a-f-]{36})"/.exec(page.text)![1]!;
    expect((await parent.post(`/agenda/creneaux/${id}/reserver`, { creneau: slot, enfant: s.pupil.id })).status).toBe(
      303,
    );
    const handlers = {
      "mail.flush": mailFlush(tp.platform.mail),
      "agenda.remind": async (payload: Record<string, unknown>, ctx: { now: Date }) => {
        await agendaReminder(
          tp.platform.db,
          String(payload.bookingId),
          ctx.now,
          { baseUrl: tp.platform.config.publicUrl },
          tp.platform.config.timeZone,
        );
      },
    };
    await runDueJobs(tp.platform.db, handlers, () => tp.clock.now(), silentLogger);
    const mine = () => smtp.received.filter((m) => m.to.includes(email));
    expect(mine().map((m) => m.subject)).toEqual(["Confirmé : Rencontre individuelle, le 15/12/2026 de 16:30 à 17:00"]);
    expect(mine()[0]!.text).toContain(`https://preau.test/agenda/creneaux/${id}`);
    tp.clock.set("2026-12-14T16:31:00+01:00");
    await runDueJobs(tp.platform.db, handlers, () => tp.clock.now(), silentLogger);
    await runDueJobs(tp.platform.db, handlers, () => tp.clock.now(), silentLogger);
    expect(mine().map((m) => m.subject)).toEqual([
      "Confirmé : Rencontre individuelle, le 15/12/2026 de 16:30 à 17:00",
      "Rappel : Rencontre individuelle, le 15/12/2026 de 16:30 à 17:00",
    ]);
  });
});
