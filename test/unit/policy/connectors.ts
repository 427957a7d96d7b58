// Connectors to third-party services (3.11.1.3, 510B) and the GAR (3.11.1.1).
import { A } from "../../helpers/principals";
import { rule } from "./tables";

const communeConnector = {
  kind: "connector" as const,
  ownerStructureId: "st-municipality",
  allSchools: false,
  schools: [A],
  enabled: true,
};
const PEOPLE_OF_A = [
  "teacher",
  "otherTeacher",
  "director",
  "staff",
  "guest",
  "pupil",
  "otherPupil",
  "parent",
  "otherParent",
] as const;

export const connectorCases = [
  rule(
    "3.11.1.3 a connector opened for school A is used by the people of school A",
    "connector.use",
    communeConnector,
    [...PEOPLE_OF_A],
  ),
  rule("3.11.1.3 a disabled connector is used by nobody", "connector.use", { ...communeConnector, enabled: false }, []),
  rule(
    "3.11.1.3 a connector for every school is used by everyone",
    "connector.use",
    { ...communeConnector, allSchools: true },
    [...PEOPLE_OF_A, "teacherOfB", "directorOfB", "inspector", "adviser", "inspectorOfB", "municipality", "academie"],
  ),
  rule("510B the académie and the owning commune manage a connector", "connector.manage", communeConnector, [
    "municipality",
    "academie",
  ]),
  rule(
    "510B the académie's own connector is managed by the académie alone",
    "connector.manage",
    { ...communeConnector, ownerStructureId: null },
    ["academie"],
  ),
  rule(
    "510B the connectors page opens for the académie and municipality staff",
    "connector.manageAny",
    { kind: "platform" },
    ["municipality", "academie"],
  ),
  rule(
    "510B native and every-school connectors are registered by the académie alone",
    "connector.publishEverywhere",
    { kind: "platform" },
    ["academie"],
  ),
  rule("3.11.1.1 the GAR serves the active school's pupils and staff", "gar.use", { kind: "platform" }, [
    "teacher",
    "otherTeacher",
    "director",
    "staff",
    "pupil",
    "otherPupil",
    "teacherOfB",
    "directorOfB",
  ]),
];
