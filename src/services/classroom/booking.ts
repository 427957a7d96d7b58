// Booking (54C): a class's teacher (or the director) opens slots — parent meetings, one family each, or an outing that
// needs companions, several each — and the class's parents pick one. Both sides get a confirmation and, the day
// before, a reminder (job "agenda.remind", once). A booking is one per parent and offer, cancelled until it starts.
import { sql } from "drizzle-orm";
import { rowsOf, systemScope, withTenant, type Database, type Tx } from "../../../db/client";
import { enqueue } from "../../jobs/runner";
import { can } from "../../policy";
import { localTime } from "../../time";
import { isId } from "../../validation";
import { auditAction } from "../audit";
import { inTenant, type ServiceDeps } from "../context";
import { calendarsOf, frenchDay, LIMITS as EVENT_LIMITS, periodOf, type CalendarInfo, type EventIssue } from "./agenda";
import { accessOf, classesReachedBy, classFacts, type ClassFacts } from "./class-access";
import { notifyFromUserScope, notifyUsers, type Delivery } from "../notifications/notifications";
import type { Principal } from "../principal";

export const LIMITS = { ...EVENT_LIMITS, maxSlots: 40, minMinutes: 5, maxMinutes: 120, maxCompanions: 30 };
export const REMIND_BEFORE_HOURS = 24;

export type OfferIssue = EventIssue | "duration" | "capacity" | "slots";
export const OFFER_KINDS = ["meeting", "outing"] as const;
export interface OfferInput {
  kind: "meeting" | "outing";
  title: string;
  place: string;
  details: string;
  day: string;
  start: string;
  end: string;
  /** Meetings: minutes per family. */
  minutes: string;
  /** Outings: companions needed. */
  companions: string;
}

/**
 * The slots an offer's form means: meetings cut the period into equal slots; an outing is one slot for N companions.
 */
export function slotsOf(
  input: OfferInput,
  now: Date,
  timeZone: string,
): { startsAt: Date; endsAt: Date; capacity: number }[] | { issue: OfferIssue } {
  const period = periodOf(
    { day: input.day, endDay: "", start: input.start, end: input.end, allDay: false },
    now,
    timeZone,
  );
  if ("issue" in period) return period;
  if (input.kind === "outing") {
    const companions = Number(input.companions);
    if (!Number.isInteger(companions) || companions < 1 || companions > LIMITS.maxCompanions)
      return { issue: "capacity" };
    return [{ ...period, capacity: companions }];
  }
  const minutes = Number(input.minutes);
  if (!Number.isInteger(minutes) || minutes < LIMITS.minMinutes || minutes > LIMITS.maxMinutes)
    return { issue: "duration" };
  const slots: { startsAt: Date; endsAt: Date; capacity: number }[] = [];
  for (let t = period.startsAt.getTime(); t + minutes * 60_000 <= period.endsAt.getTime(); t += minutes * 60_000) {
    slots.push({ startsAt: new Date(t), endsAt: new Date(t + minutes * 60_000), capacity: 1 });
  }
  if (slots.length === 0 || slots.length > LIMITS.maxSlots) return { issue: "slots" };
  return slots;
}

async function classAudience(tx: Tx, classId: string): Promise<string[]> {
  return rowsOf<{ id: string }>(
    await tx.execute(sql`
    select distinct l.parent_id as id
    from parent_links l join class_members m on m.user_id = l.child_id and m.role = 'pupil'
    where m.class_id = ${classId}`),
  ).map((r) => r.id);
}

type Slot = { startsAt: Date; endsAt: Date; capacity: number };

/** What is wrong with an offer's texts and slots, or the slots it means. */
function checkOffer(
  deps: Pick<ServiceDeps, "now" | "timeZone">,
  input: OfferInput,
): { issues: OfferIssue[]; slots?: Slot[] } {
  const issues: OfferIssue[] = [];
  const title = input.title.trim();
  if (!title || title.length > LIMITS.title) issues.push("title");
  if (input.place.trim().length > LIMITS.place) issues.push("place");
  if (input.details.trim().length > LIMITS.details) issues.push("details");
  const slots = slotsOf(input, deps.now, deps.timeZone);
  if ("issue" in slots) return { issues: [...issues, slots.issue] };
  return { issues, slots };
}

export async function offerCreator(
  deps: ServiceDeps,
  p: Principal,
  classId: string,
  input: OfferInput,
): Promise<{ ok: true; id: string } | { ok: false; issues: OfferIssue[] } | { ok: false; forbidden: true }> {
  return inTenant(deps, p, async (tx) => {
    const f = await classFacts(tx, p, classId);
    if (!f || accessOf(p, f) !== "write") return { ok: false as const, forbidden: true as const };
    const { issues, slots } = checkOffer(deps, input);
    if (issues.length || !slots) return { ok: false as const, issues };
    const title = input.title.trim();
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
      insert into agenda_offers (uai, class_id, author_id, kind, title, place, details, created_at)
      values (${f.uai}, ${classId}, ${p.userId}, ${input.kind}, ${title}, ${input.place.trim()},
        ${input.details.trim()}, ${deps.now.toISOString()})
      returning id`),
    );
    const id = row!.id;
    await tx.execute(sql`insert into agenda_slots (offer_id, uai, starts_at, ends_at, capacity)
      select ${id}, ${f.uai}, s, e, c
      from unnest(${`{${slots.map((s) => s.startsAt.toISOString()).join(",")}}`}::timestamptz[],
        ${`{${slots.map((s) => s.endsAt.toISOString()).join(",")}}`}::timestamptz[],
        ${`{${slots.map((s) => s.capacity).join(",")}}`}::int[]) as x(s, e, c)`);
    await tellClassParents(tx, deps, f, { ...input, id, title });
    await auditAction(tx, deps, p, {
      action: "agenda.offer_created",
      target: id,
      uai: f.uai,
      details: { kind: input.kind, slots: slots.length },
    });
    return { ok: true as const, id };
  });
}

/** The class's parents are told there is a slot to choose. */
async function tellClassParents(
  tx: Tx,
  deps: ServiceDeps,
  f: ClassFacts,
  offer: OfferInput & { id: string; title: string },
): Promise<void> {
  const when = `le ${frenchDay(offer.day)} de ${offer.start} à ${offer.end}`;
  await notifyFromUserScope(
    tx,
    await classAudience(tx, f.id),
    {
      kind: "agenda.offer",
      title:
        offer.kind === "meeting"
          ? `Rendez-vous à choisir : ${offer.title}`
          : `Accompagnateurs recherchés : ${offer.title}`,
      body: `Classe ${f.name}, ${when}. Choisissez un créneau.`,
      link: `/agenda/creneaux/${offer.id}`,
    },
    deps.now,
    deps.delivery,
  );
}

export interface SlotLine {
  id: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  taken: number;
  /** For the offer's writers: who booked. */
  bookings: { id: string; parent: string; child: string }[];
}
export interface OfferView {
  id: string;
  kind: "meeting" | "outing";
  title: string;
  place: string;
  details: string;
  className: string;
  classId: string;
  author: string | null;
  writer: boolean;
  slots: SlotLine[];
  /** For a parent: their children in the class, and their booking. */
  children: { id: string; name: string }[];
  mine: { id: string; slotId: string; child: string; startsAt: Date } | null;
}

export async function offerView(deps: ServiceDeps, p: Principal, id: string): Promise<OfferView | null> {
  if (!isId(id)) return null;
  return inTenant(deps, p, async (tx) => {
    const [offer] = rowsOf<{
      id: string;
      kind: "meeting" | "outing";
      title: string;
      place: string;
      details: string;
      class_id: string;
      author: string | null;
    }>(
      await tx.execute(sql`
      select o.id, o.kind, o.title, o.place, o.details, o.class_id, u.first_name || ' ' || u.last_name as author
      from agenda_offers o left join users u on u.id = o.author_id where o.id = ${id}`),
    );
    if (!offer) return null;
    const f = await classFacts(tx, p, offer.class_id);
    if (!f || !can(p, "booking.view", f)) return null;
    const writer = accessOf(p, f) === "write";
    const children = f.childIds.length
      ? rowsOf<{ id: string; name: string }>(
          await tx.execute(sql`
          select id, first_name as name from users where id = any(${`{${f.childIds.join(",")}}`}::uuid[])
          order by first_name`),
        )
      : [];
    return {
      id: offer.id,
      kind: offer.kind,
      title: offer.title,
      place: offer.place,
      details: offer.details,
      className: f.name,
      classId: f.id,
      author: offer.author,
      writer,
      children,
      slots: await slotLines(tx, id, writer),
      mine: await myBooking(tx, p, id),
    };
  });
}

/** The offer's slots and how full they are; for its writers, who booked each. */
async function slotLines(tx: Tx, offerId: string, writer: boolean): Promise<SlotLine[]> {
  const slots = rowsOf<{
    id: string;
    starts_at: Date | string;
    ends_at: Date | string;
    capacity: number;
    taken: number;
    bookings: { id: string; parent: string; child: string }[];
  }>(
    await tx.execute(sql`
    select s.id, s.starts_at, s.ends_at, s.capacity, count(b.id)::int as taken,
      coalesce(json_agg(json_build_object('id', b.id, 'parent', pu.first_name || ' ' || pu.last_name,
        'child', cu.first_name || ' ' || cu.last_name)
        order by pu.last_name) filter (where b.id is not null and ${writer}), '[]') as bookings
    from agenda_slots s left join agenda_bookings b on b.slot_id = s.id
      left join users pu on pu.id = b.parent_id left join users cu on cu.id = b.child_id
    where s.offer_id = ${offerId} group by s.id order by s.starts_at`),
  );
  return slots.map((s) => ({
    id: s.id,
    startsAt: new Date(s.starts_at),
    endsAt: new Date(s.ends_at),
    capacity: s.capacity,
    taken: s.taken,
    bookings: s.bookings,
  }));
}

/** The user's own booking for the offer, if any. */
async function myBooking(tx: Tx, p: Principal, offerId: string): Promise<OfferView["mine"]> {
  const [mine] = rowsOf<{ id: string; slot_id: string; child: string; starts_at: Date | string }>(
    await tx.execute(sql`
    select b.id, b.slot_id, c.first_name as child, s.starts_at from agenda_bookings b
      join agenda_slots s on s.id = b.slot_id join users c on c.id = b.child_id
    where b.offer_id = ${offerId} and b.parent_id = ${p.userId}`),
  );
  return mine ? { id: mine.id, slotId: mine.slot_id, child: mine.child, startsAt: new Date(mine.starts_at) } : null;
}

export interface OfferLine {
  id: string;
  kind: "meeting" | "outing";
  title: string;
  className: string;
  firstStart: Date;
  free: number;
  booked: boolean;
  writer: boolean;
}

/** The slots page: the offers the user sees, and the class calendars they may open slots in. */
export async function offersPage(
  deps: ServiceDeps,
  p: Principal,
): Promise<{ offers: OfferLine[]; classes: CalendarInfo[] }> {
  return inTenant(deps, p, async (tx) => ({
    offers: await myOffers(tx, p, deps.now),
    classes: (await calendarsOf(tx, p)).filter((cal) => cal.kind === "class" && cal.writable),
  }));
}

/** The offers of the user's classes (as a writer) or their children's classes that have not ended. */
async function myOffers(tx: Tx, p: Principal, now: Date): Promise<OfferLine[]> {
  const rows = rowsOf<{
    id: string;
    kind: "meeting" | "outing";
    title: string;
    class_name: string;
    first_start: Date | string;
    free: number;
    booked: boolean;
    writer: boolean;
  }>(
    await tx.execute(sql`
    with reached as (${classesReachedBy(p.userId)}),
      -- Pupils do not book: their own class is left out, their parents' way in kept.
      visible as (select class_id, write as writer from reached where write or child is not null)
    select o.id, o.kind, o.title, c.name as class_name, min(s.starts_at) as first_start,
      (sum(s.capacity) - (select count(*) from agenda_bookings b where b.offer_id = o.id))::int as free,
      exists (select 1 from agenda_bookings b where b.offer_id = o.id and b.parent_id = ${p.userId}) as booked,
      bool_or(v.writer) as writer
    from agenda_offers o
      join (select class_id, bool_or(writer) as writer from visible group by class_id) v on v.class_id = o.class_id
      join classes c on c.id = o.class_id join agenda_slots s on s.offer_id = o.id
    group by o.id, o.kind, o.title, c.name
    having max(s.ends_at) > ${now.toISOString()}
    order by min(s.starts_at) limit 100`),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    className: r.class_name,
    firstStart: new Date(r.first_start),
    free: r.free,
    booked: r.booked,
    writer: r.writer,
  }));
}

export type BookingIssue = "slot" | "child" | "full" | "already" | "past";

export async function slotBooker(
  deps: ServiceDeps,
  p: Principal,
  offerId: string,
  slotId: string,
  childId: string,
): Promise<{ ok: true; id: string } | { ok: false; issue: BookingIssue } | { ok: false; notFound: true }> {
  if (!isId(offerId)) return { ok: false, notFound: true };
  return inTenant(deps, p, async (tx) => {
    const [offer] = rowsOf<BookedOffer>(
      await tx.execute(sql`
      select id, class_id, title, author_id, uai, kind from agenda_offers where id = ${offerId}`),
    );
    const f = offer ? await classFacts(tx, p, offer.class_id) : null;
    // Only a parent of the class books; to anyone else the offer is not there to book.
    if (!offer || !f || f.childIds.length === 0) return { ok: false as const, notFound: true as const };
    if (!can(p, "booking.book", { ...f, childId })) return { ok: false as const, issue: "child" as const };
    if (!isId(slotId)) return { ok: false as const, issue: "slot" as const };
    const taken = await takePlace(tx, deps, p, offer, slotId, childId);
    if ("issue" in taken) return { ok: false as const, issue: taken.issue };
    await tellBooked(tx, deps, p, { offer, className: f.name, childId, ...taken });
    await remindBefore(tx, deps, taken.id, taken.startsAt);
    await auditAction(tx, deps, p, {
      action: "agenda.booked",
      target: taken.id,
      uai: offer.uai,
      details: { offer: offerId },
    });
    return { ok: true as const, id: taken.id };
  });
}

interface BookedOffer {
  id: string;
  class_id: string;
  title: string;
  author_id: string | null;
  uai: string;
  kind: string;
}

/** Takes a place in the slot for the child, once per parent and offer. The slot's row is locked while its places are
 *  counted, so two parents cannot take the last one together. */
async function takePlace(
  tx: Tx,
  deps: ServiceDeps,
  p: Principal,
  offer: BookedOffer,
  slotId: string,
  childId: string,
): Promise<{ id: string; startsAt: Date; endsAt: Date } | { issue: BookingIssue }> {
  const [slot] = rowsOf<{ starts_at: Date | string; ends_at: Date | string; capacity: number }>(
    await tx.execute(sql`
    select starts_at, ends_at, capacity from agenda_slots where id = ${slotId} and offer_id = ${offer.id} for update`),
  );
  if (!slot) return { issue: "slot" };
  const startsAt = new Date(slot.starts_at);
  if (startsAt.getTime() <= deps.now.getTime()) return { issue: "past" };
  const [{ taken }] = rowsOf<{ taken: number }>(
    await tx.execute(sql`select count(*)::int as taken from agenda_bookings where slot_id = ${slotId}`),
  ) as [{ taken: number }];
  if (taken >= slot.capacity) return { issue: "full" };
  const [row] = rowsOf<{ id: string }>(
    await tx.execute(sql`
    insert into agenda_bookings (slot_id, offer_id, uai, parent_id, child_id, booked_at)
    values (${slotId}, ${offer.id}, ${offer.uai}, ${p.userId}, ${childId}, ${deps.now.toISOString()})
    on conflict (offer_id, parent_id) do nothing returning id`),
  );
  return row ? { id: row.id, startsAt, endsAt: new Date(slot.ends_at) } : { issue: "already" };
}

/** The parent and the offer's author are told of the booking. */
async function tellBooked(
  tx: Tx,
  deps: ServiceDeps,
  p: Principal,
  booked: { offer: BookedOffer; className: string; childId: string; startsAt: Date; endsAt: Date },
): Promise<void> {
  const { offer, className } = booked;
  const when = whenText(booked.startsAt, booked.endsAt, deps.timeZone);
  const [child] = rowsOf<{ name: string }>(
    await tx.execute(sql`select first_name || ' ' || last_name as name from users where id = ${booked.childId}`),
  );
  const link = `/agenda/creneaux/${offer.id}`;
  await notifyFromUserScope(
    tx,
    [p.userId],
    {
      kind: "agenda.booking",
      title: `Confirmé : ${offer.title}, ${when}`,
      body: `Votre créneau est réservé (${child?.name ?? ""}, classe ${className}).`,
      link,
    },
    deps.now,
    deps.delivery,
  );
  if (offer.author_id) {
    await notifyFromUserScope(
      tx,
      [offer.author_id],
      {
        kind: "agenda.booking",
        title: `Créneau réservé : ${offer.title}, ${when}`,
        body: `${p.firstName} ${p.lastName} (pour ${child?.name ?? ""}, classe ${className}).`,
        link,
      },
      deps.now,
      deps.delivery,
    );
  }
}

/** The day before; booked later than that, two hours before; booked later still, the confirmation is enough. */
async function remindBefore(tx: Tx, deps: ServiceDeps, bookingId: string, startsAt: Date): Promise<void> {
  const remindAt = [REMIND_BEFORE_HOURS, 2]
    .map((h) => new Date(startsAt.getTime() - h * 3600_000))
    .find((d) => d.getTime() > deps.now.getTime());
  if (remindAt)
    await enqueue(tx, "agenda.remind", { bookingId }, deps.now, {
      runAt: remindAt,
      dedupeKey: `agenda.remind:${bookingId}`,
    });
}

/** "08/12/2026 de 16:30 à 16:45" in the schools' zone. */
function whenText(startsAt: Date, endsAt: Date, timeZone: string): string {
  const start = localTime(startsAt, timeZone);
  return `le ${frenchDay(start.date)} de ${start.time} à ${localTime(endsAt, timeZone).time}`;
}

/** The parent who booked, or the offer's writers, cancel before it starts; the other side is told. */
export async function bookingCanceller(
  deps: ServiceDeps,
  p: Principal,
  bookingId: string,
): Promise<{ offerId: string } | null> {
  if (!isId(bookingId)) return null;
  return inTenant(deps, p, async (tx) => {
    const [b] = rowsOf<{
      offer_id: string;
      parent_id: string;
      class_id: string;
      author_id: string | null;
      title: string;
      starts_at: Date | string;
      ends_at: Date | string;
      uai: string;
    }>(
      await tx.execute(sql`
        select b.offer_id, b.parent_id, o.class_id, o.author_id, o.title, s.starts_at, s.ends_at, o.uai
        from agenda_bookings b
 join agenda_offers o on o.id = b.offer_id join agenda_slots s on s.id = b.slot_id
        where b.id = ${bookingId}`),
    );
    if (!b) return null;
    const f = await classFacts(tx, p, b.class_id);
    if (!f || !can(p, "booking.cancel", { ...f, parentId: b.parent_id })) return null;
    const mine = b.parent_id === p.userId;
    if (new Date(b.starts_at).getTime() <= deps.now.getTime()) return null;
    await tx.execute(sql`delete from agenda_bookings where id = ${bookingId}`);
    const tell = mine ? (b.author_id ? [b.author_id] : []) : [b.parent_id];
    await notifyFromUserScope(
      tx,
      tell,
      {
        kind: "agenda.booking",
        title: `Annulé : ${b.title}, ${whenText(new Date(b.starts_at), new Date(b.ends_at), deps.timeZone)}`,
        body: mine
          ? `${p.firstName} ${p.lastName} a annulé son créneau.`
          : "Votre créneau a été annulé par l'enseignant ; vous pouvez en choisir un autre.",
        link: `/agenda/creneaux/${b.offer_id}`,
      },
      deps.now,
      deps.delivery,
    );
    await auditAction(tx, deps, p, {
      action: "agenda.booking_cancelled",
      target: bookingId,
      uai: b.uai,
      details: {},
    });
    return { offerId: b.offer_id };
  });
}

/** Job "agenda.remind": the day before, the parent and the teacher are reminded, once; a cancelled booking is gone. */
export async function agendaReminder(
  db: Database,
  bookingId: string,
  now: Date,
  delivery: Delivery,
  timeZone: string,
): Promise<boolean> {
  return withTenant(db, systemScope, async (tx) => {
    const [b] = rowsOf<{
      parent_id: string;
      author_id: string | null;
      title: string;
      place: string;
      starts_at: Date | string;
      ends_at: Date | string;
      child: string;
    }>(
      await tx.execute(sql`update agenda_bookings b set reminded_at = ${now.toISOString()}
        from agenda_slots s, agenda_offers o, users c
        where b.id = ${bookingId} and b.reminded_at is null
          and s.id = b.slot_id and o.id = b.offer_id and c.id = b.child_id
          and s.starts_at > ${now.toISOString()}
        returning b.parent_id, o.author_id, o.title, o.place, s.starts_at, s.ends_at,
          c.first_name || ' ' || c.last_name as child`),
    );
    if (!b) return false;
    const when = whenText(new Date(b.starts_at), new Date(b.ends_at), timeZone);
    await notifyUsers(
      tx,
      [b.parent_id, ...(b.author_id ? [b.author_id] : [])],
      {
        kind: "agenda.reminder",
        title: `Rappel : ${b.title}, ${when}`,
        body: `Pour ${b.child}${b.place ? `, ${b.place}` : ""}.`,
        link: "/agenda",
      },
      now,
      delivery,
    );
    return true;
  });
}
