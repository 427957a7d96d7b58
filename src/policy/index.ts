// The one place that answers "may this user do that?": can(principal, action, resource), asked by services, routes
// and websocket upgrades alike. Each feature's rules are a table in their own file (action → rule); this module joins
// them. Row-level security is the second line: a wrong answer here still cannot reach another school's rows.
import type { Principal } from "../services/principal";
import { classroomRules } from "./classroom";
import { collaborationRules } from "./collaboration";
import { connectorRules } from "./connectors";
import { directoryRules } from "./directory";
import { messagingRules } from "./messaging";
import { newsFeedRules } from "./news-feed";

const RULES = {
  ...directoryRules,
  ...collaborationRules,
  ...connectorRules,
  ...newsFeedRules,
  ...classroomRules,
  ...messagingRules,
};

export type Action = keyof typeof RULES;

/** Every action the policy answers (its table-driven tests cover each one). */
export const ACTIONS = Object.keys(RULES) as Action[];

/** The resource an action is decided on (a school, a class, a wall…). */
export type ResourceOf<A extends Action> = Parameters<(typeof RULES)[A]>[1];

export function can<A extends Action>(p: Principal, action: A, resource: ResourceOf<A>): boolean {
  return (RULES[action] as (p: Principal, r: ResourceOf<A>) => boolean)(p, resource);
}

export type { ClassLifeResource } from "./classroom";
export type { ConnectorResource } from "./connectors";
export type { DocumentResource, WallResource } from "./collaboration";
export type { ClassResource, PersonResource, PlatformResource, SchoolResource } from "./types";
export { addressesPupils, isAcademieAdmin } from "./roles";
