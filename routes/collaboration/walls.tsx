// Collaborative walls (54B): list and creation, the wall page (HTML from the room's state), and the plain forms
// that change post-its through the room. Parsing and rendering only; the walls service decides (404 where rooms are
// not available), src/policy/collaboration.ts says who may.
import type { Context } from "hono";
import * as v from "valibot";
import { t, type MessageKey } from "../../src/i18n";
import type { SignedInEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { fieldsOf, readForm } from "../../src/http/forms";
import { displayName } from "../../src/services/principal";
import {
  addPostitFromForm,
  changePostit,
  createWall,
  setWallMode,
  wallsPage,
  wallView,
  type PostitInput,
  type PostitOutcome,
} from "../../src/services/collaboration/walls";
import { WallsPage } from "../../views/collaboration/walls";
import { WallPage } from "../../views/collaboration/wall";
import { bounded, readWith } from "../../src/validation";
import { signedInRoutes } from "../guards";

export const wallRoutes = signedInRoutes("/murs");

const NOTICES: Record<string, MessageKey> = {
  ajoute: "wall.postit.added",
  attente: "wall.postit.added_pending",
  mode: "wall.mode.saved",
  enregistre: "common.saved",
};

/** The new wall's form, its texts bounded above the service's limits (the service names the field at fault). */
const WallForm = v.object({
  titre: bounded(1000),
  cible: bounded(100),
  disposition: bounded(20),
  mode: bounded(20),
  colonnes: bounded(2000),
});

/** A post-it's form (text, colour, column on a wall in columns). */
const PostitForm = v.object({ texte: bounded(5000), couleur: bounded(20), colonne: bounded(10) });

const ModeForm = v.object({ mode: bounded(20) });

async function readPostit(c: Context<SignedInEnv>): Promise<PostitInput> {
  const f = readWith(PostitForm, fieldsOf(await readForm(c), PostitForm));
  return { text: f.texte, colour: f.couleur, column: f.colonne };
}

async function showWall(
  c: Context<SignedInEnv>,
  id: string,
  extra: { error?: MessageKey; draft?: PostitInput } = {},
  status: 200 | 422 = 200,
) {
  const p = c.var.principal;
  const found = await wallView(c.var.deps, p, id);
  if (found.kind !== "ok") return renderError(c, found.kind === "forbidden" ? 403 : 404);
  const notice = NOTICES[c.req.query("fait") ?? ""];
  return renderPage(
    c,
    <WallPage
      chrome={chromeFor(c, found.value.title, "wall.help")}
      wall={found.value}
      notice={status === 200 ? notice : undefined}
      error={extra.error}
      draft={extra.draft}
      userId={p.userId}
      userName={displayName(p)}
    />,
    status,
  );
}

async function showWalls(
  c: Context<SignedInEnv>,
  extra: Pick<Parameters<typeof WallsPage>[0], "errors" | "draft"> = {},
  status: 200 | 422 = 200,
) {
  const page = await wallsPage(c.var.deps, c.var.principal);
  if (!page) return renderError(c, 404);
  return renderPage(
    c,
    <WallsPage chrome={chromeFor(c, t("wall.list.title"), "wall.help")} {...page} {...extra} />,
    status,
  );
}

wallRoutes.get("/murs", (c) => showWalls(c));

wallRoutes.post("/murs", async (c) => {
  const f = readWith(WallForm, fieldsOf(await readForm(c), WallForm));
  const input = { title: f.titre, target: f.cible, layout: f.disposition, mode: f.mode, columns: f.colonnes };
  const outcome = await createWall(c.var.deps, c.var.principal, input);
  if (outcome.kind === "created") return c.redirect(`/murs/${outcome.id}`, 303);
  if (outcome.kind !== "invalid") return renderError(c, outcome.kind === "forbidden" ? 403 : 404);
  return showWalls(c, { errors: outcome.errors, draft: input }, 422);
});

wallRoutes.get("/murs/:id", (c) => showWall(c, c.req.param("id")));

function answer(
  c: Context<SignedInEnv>,
  wallId: string,
  outcome: PostitOutcome,
  draft: PostitInput | undefined,
  done: string,
) {
  if (outcome.kind === "ok") return c.redirect(`/murs/${wallId}?fait=${done}`, 303);
  if (outcome.kind === "invalid")
    return showWall(c, wallId, { error: `wall.postit.error.${outcome.error}`, draft }, 422);
  return renderError(c, outcome.kind === "forbidden" ? 403 : 404);
}

wallRoutes.post("/murs/:id/postits", async (c) => {
  const input = await readPostit(c);
  const id = c.req.param("id");
  const outcome = await addPostitFromForm(c.var.deps, c.var.principal, id, input);
  // A pupil's post-it on a moderated wall waits for approval: the notice says so.
  return answer(c, id, outcome, input, outcome.kind === "ok" && outcome.pending ? "attente" : "ajoute");
});

wallRoutes.post("/murs/:id/postits/:pid", async (c) => {
  const input = await readPostit(c);
  const id = c.req.param("id");
  const change = { kind: "edit", input } as const;
  const outcome = await changePostit(c.var.deps, c.var.principal, id, c.req.param("pid"), change);
  return answer(c, id, outcome, undefined, "enregistre");
});

wallRoutes.post("/murs/:id/postits/:pid/supprimer", async (c) => {
  const id = c.req.param("id");
  const outcome = await changePostit(c.var.deps, c.var.principal, id, c.req.param("pid"), { kind: "delete" });
  return answer(c, id, outcome, undefined, "enregistre");
});

wallRoutes.post("/murs/:id/postits/:pid/valider", async (c) => {
  const id = c.req.param("id");
  const outcome = await changePostit(c.var.deps, c.var.principal, id, c.req.param("pid"), { kind: "approve" });
  return answer(c, id, outcome, undefined, "enregistre");
});

wallRoutes.post("/murs/:id/mode", async (c) => {
  const { mode } = readWith(ModeForm, fieldsOf(await readForm(c), ModeForm));
  const id = c.req.param("id");
  const outcome = await setWallMode(c.var.deps, c.var.principal, id, mode);
  if (outcome === "ok") return c.redirect(`/murs/${id}?fait=mode`, 303);
  if (outcome === "invalid") return showWall(c, id, { error: "wall.error.mode_invalid" }, 422);
  return renderError(c, outcome === "forbidden" ? 403 : 404);
});
