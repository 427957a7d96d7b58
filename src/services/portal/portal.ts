// The home page's data for any profile: launcher, classes, children, perimeter.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../../db/client";
import { inTenant, type ServiceDeps } from "../context";
import type { ReadCache } from "../read-cache";
import { launcherApps, type AppDefinition } from "./apps";
import { myChildren, myClasses, type ChildSummary, type ClassSummary } from "../directory/directory";
import { hiddenByClasses } from "../admin/school-settings";
import { mainProfile, type Principal, type ProfileKind } from "../principal";
import { entryFeedIn } from "../messaging/news-feed";
import { myConnectorsIn, type Connector } from "../identity/connectors";

export interface Home {
  mainProfile: ProfileKind;
  apps: AppDefinition[];
  classes: ClassSummary[];
  children: ChildSummary[];
  structures: { kind: string; name: string }[];
  perimeterSchoolCount: number | null;
}

async function homeOf(tx: Tx, p: Principal): Promise<Home> {
  const main = mainProfile(p);
  const kinds = new Set(p.profiles.map((sp) => sp.profile));
  const inClasses = ["pupil", "teacher", "director", "staff"].some((k) => kinds.has(k as ProfileKind));
  const classes = inClasses ? await myClasses(tx, p) : [];
  const children = kinds.has("parent") ? await myChildren(tx, p) : [];
  const hidden =
    main === "pupil" || main === "parent" ? await hiddenByClasses(tx, p) : { forPupils: [], forParents: [] };
  let perimeterSchoolCount: number | null = null;
  if (p.structureRoles.length > 0) {
    const [row] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from schools`));
    perimeterSchoolCount = row?.n ?? 0;
  }
  return {
    mainProfile: main,
    apps: launcherApps(p, hidden),
    classes,
    children,
    structures: p.structureRoles.map((r) => ({ kind: r.structureKind, name: r.structureName })),
    perimeterSchoolCount,
  };
}

/** The home page's data, from the per-process cache when it is there (dropped on any change that concerns it). */
export async function homeFor(deps: ServiceDeps, cache: ReadCache | undefined, p: Principal): Promise<Home> {
  const cached = cache?.home(p.userId, p.activeUai);
  if (cached) return cached.home;
  const generation = cache?.currentGeneration ?? 0;
  const home = await inTenant(deps, p, (tx) => homeOf(tx, p));
  cache?.storeHome(p.userId, p.activeUai, { home, uais: [...new Set(p.profiles.map((sp) => sp.uai))] }, generation);
  return home;
}

/**
 * What the home page reads fresh on every visit (54J: unseen urgent announcements first), beside the cached home: the
 * news feed's entry and the user's connected services, in one transaction whose reads are pipelined (issue 22: one
 * round trip for the four of them instead of two transactions and eight round trips).
 */
export async function homeEntry(
  deps: ServiceDeps,
  p: Principal,
): Promise<{ feed: Awaited<ReturnType<typeof entryFeedIn>>; services: Connector[] }> {
  return inTenant(deps, p, async (tx) => {
    const [feed, services] = await Promise.all([entryFeedIn(tx, deps, p), myConnectorsIn(tx, p)]);
    return { feed, services };
  });
}
