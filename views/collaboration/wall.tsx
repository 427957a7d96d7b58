// A wall (54B) as plain HTML from the room's state: works with no JavaScript (forms post, a link refreshes); the
// wall.js client, where it runs, takes the same markup over and keeps it live.
import { t, type MessageKey } from "../../src/i18n";
import { POSTIT_COLOURS, type Postit } from "../../realtime/wall-model";
import type { WallView } from "../../src/services/collaboration/walls";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { Icon } from "../components/icon";

export type ShownPostit = WallView["postits"][number];

function targetLabel(w: Pick<WallView, "scope" | "targetName">): string {
  if (w.scope === "class") return t("wall.list.for_class", { name: w.targetName ?? "" });
  if (w.scope === "group") return t("wall.list.for_group", { name: w.targetName ?? "" });
  return t("wall.list.for_school");
}

export { targetLabel as wallTargetLabel };

function ColourChoice(props: { id: string; value?: string }) {
  return (
    <div class="field">
      <label for={props.id}>{t("wall.postit.colour")}</label>
      <select id={props.id} name="couleur">
        {POSTIT_COLOURS.map((c) => (
          <option value={c} selected={(props.value ?? "jaune") === c}>
            {t(`wall.colour.${c}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

function ColumnChoice(props: { id: string; columns: string[]; value?: number }) {
  if (props.columns.length === 0) return null;
  return (
    <div class="field">
      <label for={props.id}>{t("wall.postit.column")}</label>
      <select id={props.id} name="colonne">
        {props.columns.map((c, i) => (
          <option value={String(i)} selected={(props.value ?? 0) === i}>
            {c}
          </option>
        ))}
      </select>
    </div>
  );
}

function PostitItem(props: { wall: WallView; postit: ShownPostit; csrf: string }) {
  const { wall, postit: p, csrf } = props;
  const base = `/murs/${wall.id}/postits/${p.id}`;
  return (
    <li class={`postit postit-${p.colour}${p.approved ? "" : " postit-pending"}`} data-id={p.id}>
      <p class="postit-text">{p.text}</p>
      <p class="postit-author">{t("wall.postit.by", { name: p.authorName })}</p>
      {p.approved ? null : <p class="postit-badge">{t("wall.postit.pending")}</p>}
      {p.canEdit ? (
        <div class="postit-actions">
          <details>
            <summary>{t("wall.postit.edit")}</summary>
            <form method="post" action={base} class="postit-form">
              <CsrfField token={csrf} />
              <div class="field">
                <label for={`texte-${p.id}`}>{t("wall.postit.text")}</label>
                <textarea id={`texte-${p.id}`} name="texte" rows={3} maxlength={500} required>
                  {p.text}
                </textarea>
              </div>
              <ColourChoice id={`couleur-${p.id}`} value={p.colour} />
              <ColumnChoice id={`colonne-${p.id}`} columns={wall.columns} value={p.column} />
              <button type="submit">{t("wall.postit.save")}</button>
            </form>
          </details>
          <form method="post" action={`${base}/supprimer`} class="inline-form">
            <CsrfField token={csrf} />
            <button type="submit" class="button-small">
              {t("wall.postit.delete")}
            </button>
          </form>
          {!p.approved && wall.canModerate ? (
            <form method="post" action={`${base}/valider`} class="inline-form">
              <CsrfField token={csrf} />
              <button type="submit" class="button-small">
                {t("wall.postit.approve")}
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

export function WallPage(props: {
  chrome: Chrome;
  wall: WallView;
  notice?: MessageKey;
  error?: MessageKey;
  draft?: { text: string; colour: string; column: string };
  userId: string;
  userName: string;
}) {
  const { chrome, wall } = props;
  const csrf = chrome.csrfToken;
  const board =
    wall.layout === "columns" ? (
      <div class="wall-columns">
        {wall.columns.map((name, i) => (
          <section class="wall-column" aria-labelledby={`col-${i}`}>
            <h3 id={`col-${i}`}>{name}</h3>
            <ul class="postits" data-column={String(i)}>
              {wall.postits
                .filter((p) => p.column === i)
                .map((p) => (
                  <PostitItem wall={wall} postit={p} csrf={csrf} />
                ))}
            </ul>
          </section>
        ))}
      </div>
    ) : (
      <ul class="postits">
        {wall.postits.map((p) => (
          <PostitItem wall={wall} postit={p} csrf={csrf} />
        ))}
      </ul>
    );
  return (
    <Layout chrome={chrome} wide>
      <link rel="stylesheet" href={chrome.assets["realtime.css"]} />
      <h1>{wall.title}</h1>
      <p class="profile-line">
        {targetLabel(wall)} · {t(`wall.mode.short.${wall.mode}`)}
      </p>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {props.error ? <Flash kind="error" text={t(props.error)} /> : null}
      {wall.canPost ? null : <p class="hint">{t("wall.readonly")}</p>}
      <div
        id="mur"
        class={`wall wall-${wall.layout}`}
        data-room={wall.roomId}
        data-wall={wall.id}
        data-layout={wall.layout}
        data-mode={wall.mode}
        data-user={props.userId}
        data-user-name={props.userName}
        data-can-post={wall.canPost ? "1" : "0"}
        data-moderator={wall.canModerate ? "1" : "0"}
        data-columns={JSON.stringify(wall.columns)}
        data-t={JSON.stringify(clientStrings())}
      >
        <p class="wall-status" role="status">
          <a href={`/murs/${wall.id}`} class="wall-refresh">
            {t("wall.refresh")}
          </a>
        </p>
        <section class="wall-board" aria-labelledby="wall-board-title">
          <h2 id="wall-board-title" class="visually-hidden">
            {t("wall.board")}
          </h2>
          {wall.canPost ? (
            <div class="wall-tools">
              {/* Issue 21: adding is obvious — at the top of the board; without JavaScript it leads to the plain form,
                  with it the client places a new post-it on the canvas. */}
              <a href="#wall-add" class="button button-primary wall-add-link">
                <Icon assets={chrome.assets} name="plus" />
                <span>{t("wall.postit.new")}</span>
              </a>
            </div>
          ) : null}
          {wall.postits.length === 0 ? <p class="wall-empty">{t("wall.board.empty")}</p> : null}
          {board}
        </section>
      </div>
      {wall.canPost ? (
        <section class="card wall-add" id="wall-add" aria-labelledby="wall-add-title">
          <h2 id="wall-add-title">{t("wall.postit.new")}</h2>
          <form method="post" action={`/murs/${wall.id}/postits`} id="wall-add-form">
            <CsrfField token={csrf} />
            <div class="field">
              <label for="texte-nouveau">{t("wall.postit.text")}</label>
              <textarea id="texte-nouveau" name="texte" rows={3} maxlength={500} required>
                {props.draft?.text ?? ""}
              </textarea>
            </div>
            <ColourChoice id="couleur-nouveau" value={props.draft?.colour} />
            <ColumnChoice id="colonne-nouveau" columns={wall.columns} value={Number(props.draft?.column ?? 0) || 0} />
            <button type="submit" class="button-primary">
              {t("wall.postit.add")}
            </button>
          </form>
        </section>
      ) : null}
      {wall.canModerate ? (
        <form method="post" action={`/murs/${wall.id}/mode`} class="card">
          <CsrfField token={csrf} />
          <fieldset>
            <legend>{t("wall.mode")}</legend>
            {(["open", "moderated", "closed"] as const).map((m) => (
              <div class="field field-check">
                <input type="radio" id={`mode-${m}`} name="mode" value={m} checked={wall.mode === m} />
                <label for={`mode-${m}`}>{t(`wall.mode.${m}`)}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit">{t("wall.mode.submit")}</button>
        </form>
      ) : null}
      <script type="module" src={chrome.assets["wall.js"]}></script>
    </Layout>
  );
}

/** The few strings the browser client shows, from the catalogue (the client holds no UI text of its own). */
function clientStrings() {
  const keys = [
    "wall.live",
    "wall.offline",
    "wall.presence",
    "wall.presence.alone",
    "wall.zoom_in",
    "wall.zoom_out",
    "wall.canvas",
    "wall.postit.by",
    "wall.postit.pending",
    "wall.postit.edit",
    "wall.postit.save",
    "wall.postit.delete",
    "wall.postit.approve",
    "wall.postit.move",
    "wall.postit.new",
    "wall.postit.add",
    "wall.add.hint",
    "wall.add.cancel",
    "wall.add.draft",
    "wall.postit.text",
    "wall.postit.colour",
    "wall.postit.column",
    "wall.board.empty",
    "wall.refresh",
    ...POSTIT_COLOURS.map((c) => `wall.colour.${c}` as const),
  ] as const;
  return Object.fromEntries(keys.map((k) => [k, t(k)]));
}

export function postitLabel(p: Postit): string {
  return `${p.text} — ${t("wall.postit.by", { name: p.authorName })}`;
}
