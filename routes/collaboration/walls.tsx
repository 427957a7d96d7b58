// Collaborative walls (54B): list and creation, the wall page (HTML from the room's state), and the plain forms
// that change post-its through the room. Parsing and rendering only; the walls service decides.
import { Hono, type Context } from "hono";
import { t, type MessageKey } from "../../src/i18n";
import type { AppEnv } from "../../src/http/env";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { field, readForm } from "../../src/http/forms";
import { withTenant } from "../../db/client";
import { displayName, scopeOf } from "../../src/services/principal";
import {
  addPostitFromForm,
  changePostit,
  createWall,
  setWallMode,
  visibleWalls,
  wallTargets,
  wallView,
  type PostitOutcome,
  type WallCtx,
} from "../../src/services/collaboration/walls";
import { WallsPage } from "../../views/collaboration/walls";
import { WallPage } from "../../views/collaboration/wall";
import { requireUser } from "../guards";

export const wallRoutes = new Hono<AppEnv>();
wallRoutes.use("/murs", requireUser);
wallRoutes.use("/murs/*", requireUser);

function ctxOf(c: Context<AppEnv>): WallCtx | null {
  const { platform } = c.var;
  if (!platform.rooms) return null;
  return {
    db: platform.db,
    rooms: platform.rooms,
    now: platform.clock.now(),
    ip: c.var.ip,
    delivery: { baseUrl: platform.config.publicUrl, timeZone: platform.config.timeZone },
  };
}

const NOTICES: Record<string, MessageKey> = {
  ajoute: "wall.postit.added",
  attente: "wall.postit.added_pending",
  mode: "wall.mode.saved",
  enregistre: "common.saved",
};

async function showWall(
  c: Context<AppEnv>,
  id: string,
  extra: { error?: MessageKey; draft?: { text: string; colour: string; column: string } } = {},
  status: 200 | 422 = 200,
) {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const p = c.var.principal!;
  const found = await wallView(ctx, p, id);
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

wallRoutes.get("/murs", async (c) => {
  const p = c.var.principal!;
  if (!ctxOf(c)) return renderError(c, 404);
  const { walls, targets } = await withTenant(c.var.platform.db, scopeOf(p), async (tx) => ({
    walls: await visibleWalls(tx, p),
    targets: await wallTargets(tx, p),
  }));
  return renderPage(
    c,
    <WallsPage chrome={chromeFor(c, t("wall.list.title"), "wall.help")} walls={walls} targets={targets} />,
  );
});

wallRoutes.post("/murs", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const p = c.var.principal!;
  const form = await readForm(c);
  const input = {
    title: field(form, "titre"),
    target: field(form, "cible"),
    layout: field(form, "disposition"),
    mode: field(form, "mode"),
    columns: field(form, "colonnes"),
  };
  const outcome = await createWall(ctx, p, input);
  if (outcome.kind === "created") return c.redirect(`/murs/${outcome.id}`, 303);
  if (outcome.kind === "forbidden") return renderError(c, 403);
  const { walls, targets } = await withTenant(ctx.db, scopeOf(p), async (tx) => ({
    walls: await visibleWalls(tx, p),
    targets: await wallTargets(tx, p),
  }));
  return renderPage(
    c,
    <WallsPage
      chrome={chromeFor(c, t("wall.list.title"), "wall.help")}
      walls={walls}
      targets={targets}
      errors={outcome.errors}
      draft={input}
    />,
    422,
  );
});

wallRoutes.get("/murs/:id", (c) => showWall(c, c.req.param("id")));

function answer(
  c: Context<AppEnv>,
  wallId: string,
  outcome: PostitOutcome,
  draft: { text: string; colour: string; column: string } | undefined,
  done: string,
) {
  if (outcome.kind === "ok") return c.redirect(`/murs/${wallId}?fait=${done}`, 303);
  if (outcome.kind === "invalid")
    return showWall(c, wallId, { error: `wall.postit.error.${outcome.error}`, draft }, 422);
  return renderError(c, outcome.kind === "forbidden" ? 403 : 404);
}

wallRoutes.post("/murs/:id/postits", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const form = await readForm(c);
  const input = { text: field(form, "texte"), colour: field(form, "couleur"), column: field(form, "colonne") };
  const id = c.req.param("id");
  const outcome = await addPostitFromForm(ctx, c.var.principal!, id, input);
  return answer(c, id, outcome, input, outcome.kind === "ok" && (await isPendingFor(c, id)) ? "attente" : "ajoute");
});

/** Whether a post-it this user adds waits for approval (a pupil on a moderated wall). */
async function isPendingFor(c: Context<AppEnv>, id: string): Promise<boolean> {
  const ctx = ctxOf(c)!;
  const found = await wallView(ctx, c.var.principal!, id);
  return found.kind === "ok" && found.value.mode === "moderated" && !found.value.canModerate;
}

wallRoutes.post("/murs/:id/postits/:pid", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const form = await readForm(c);
  const input = { text: field(form, "texte"), colour: field(form, "couleur"), column: field(form, "colonne") };
  const id = c.req.param("id");
  return answer(
    c,
    id,
    await changePostit(ctx, c.var.principal!, id, c.req.param("pid"), { kind: "edit", input }),
    undefined,
    "enregistre",
  );
});

wallRoutes.post("/murs/:id/postits/:pid/supprimer", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const id = c.req.param("id");
  return answer(
    c,
    id,
    await changePostit(ctx, c.var.principal!, id, c.req.param("pid"), { kind: "delete" }),
    undefined,
    "enregistre",
  );
});

wallRoutes.post("/murs/:id/postits/:pid/valider", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const id = c.req.param("id");
  return answer(
    c,
    id,
    await changePostit(ctx, c.var.principal!, id, c.req.param("pid"), { kind: "approve" }),
    undefined,
    "enregistre",
  );
});

wallRoutes.post("/murs/:id/mode", async (c) => {
  const ctx = ctxOf(c);
  if (!ctx) return renderError(c, 404);
  const form = await readForm(c);
  const id = c.req.param("id");
  const outcome = await setWallMode(ctx, c.var.principal!, id, field(form, "mode"));
  if (outcome === "ok") return c.redirect(`/murs/${id}?fait=mode`, 303);
  if (outcome === "invalid") return showWall(c, id, { error: "wall.error.mode_invalid" }, 422);
  return renderError(c, outcome === "forbidden" ? 403 : 404);
});
