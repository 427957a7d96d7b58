// The shape of the policy's tables: for one action and one resource, who may — everyone else of the cast may not.
import type { Action, ResourceOf } from "../../../src/policy";
import type { Person } from "../../helpers/principals";

export interface PolicyCase<A extends Action = Action> {
  /** What the line says, with the requirement it checks ("57D …"). */
  says: string;
  action: A;
  resource: ResourceOf<A>;
  /** The people of the cast who may; every other one may not. */
  may: Person[];
}

/** Builds a typed case (the resource's type follows the action). */
export function rule<A extends Action>(says: string, action: A, resource: ResourceOf<A>, may: Person[]): PolicyCase {
  return { says, action, resource, may } as unknown as PolicyCase;
}
