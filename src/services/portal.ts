// The home page's data for any profile: launcher, classes, children, perimeter.
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../db/client";
import { launcherApps, type AppDefinition } from "./apps";
import { myChildren, myClasses, type ChildSummary, type ClassSummary } from "./directory";
import { hiddenByClasses } from "./school-settings";
import { mainProfile, type Principal, type ProfileKind } from "./principal";

export interface Home {
  mainProfile: ProfileKind;
  apps: AppDefinition[];
  classes: ClassSummary[];
  children: ChildSummary[];
  structures: { kind: string; name: string }[];
  perimeterSchoolCount: number | null;
}

export async function homeOf(tx: Tx, p: Principal): Promise<Home> {
  const main = mainProfile(p);
  const classes = await myClasses(tx, p);
  const children = await myChildren(tx, p);
  const hidden = main === "pupil" || main === "parent" ? await hiddenByClasses(tx, p) : { forPupils: [], forParents: [] };
  let perimeterSchoolCount: number | null = null;
  if (p.structureRoles.length > 0) {
    const [row] = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from schools`));
    perimeterSchoolCount = row?.n ?? 0;
  }
  return {
    mainProfile: main, apps: launcherApps(p, hidden), classes, children,
    structures: p.structureRoles.map((r) => ({ kind: r.structureKind, name: r.structureName })),
    perimeterSchoolCount,
  };
}
