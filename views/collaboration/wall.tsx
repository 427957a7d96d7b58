// A wall (54B) as plain HTML from the room's state: works with no JavaScript (forms post, a link refreshes); the
// wall.js client, where it runs, takes the same markup over and keeps it live.
import { t, type MessageKey } from "../../src/i18n";
import { POSTIT_COLOURS, type Postit } from "../../realtime/wall-model";
import type { WallView } from "../../src/services/collaboration/walls";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField, PostButton } from "../components/csrf";
import { Flash } from "../components/flash";
import { ChoiceGroup, SelectField, TextAreaField } from "../components/fields";
import { Icon } from "../components/icon";

export type ShownPostit = WallView["postits"][number];

function targetLabel(w: Pick<WallView, "scope" | "targetName">): string {
  if (w.scope === "class") return t("wall.list.for_class", { name: w.targetName ?? "" });
  if (w.scope === "group") return t("wall.list.for_group", { name: w.targetName ?? "" });
  return t("wall.list.for_school");
}

export { targetLabel as wallTargetLabel };

/** Who may write on a wall: chosen at creation, changed by its moderators. */
export function WallModeChoice(props: { chosen: string; error?: string | undefined }) {
  return (
    <ChoiceGroup
      type="radio"
      name="mode"
      legend={t("wall.mode")}
      choices={(["open", "moderated", "closed"] as const).map((m) => ({ value: m, label: t(`wall.mode.${m}`) }))}
      chosen={props.chosen}
      error={props.error}
    />
  );
}

/** A post-it's text, colour and column (when the wall has columns), to add one or edit it. */
function PostitFields(props: { idSuffix: string; text?: string; colour?: string; column?: number; columns: string[] }) {
  return (
    <>
      <TextAreaField
        id={`texte-${props.idSuffix}`}
        name="texte"
        label={t("wall.postit.text")}
        rows={3}
        maxlength={500}
        required
        value={props.text ?? ""}
      />
      <SelectField
        id={`couleur-${props.idSuffix}`}
        name="couleur"
        label={t("wall.postit.colour")}
        options={POSTIT_COLOURS.map((c) => ({ value: c, label: t(`wall.colour.${c}`) }))}
        chosen={props.colour ?? "jaune"}
      />
      {props.columns.length ? (
        <SelectField
          id={`colonne-${props.idSuffix}`}
          name="colonne"
          label={t("wall.postit.column")}
          options={props.columns.map((c, i) => ({ value: String(i), label: c }))}
          chosen={String(props.column ?? 0)}
        />
      ) : null}
    </>
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
              <PostitFields idSuffix={p.id} text={p.text} colour={p.colour} column={p.column} columns={wall.columns} />
              <button type="submit">{t("wall.postit.save")}</button>
            </form>
          </details>
          <PostButton
            action={`${base}/supprimer`}
            csrfToken={csrf}
            class="inline-form"
            buttonClass="button-small"
            label={t("wall.postit.delete")}
          />
          {!p.approved && wall.canModerate ? (
            <PostButton
              action={`${base}/valider`}
              csrfToken={csrf}
              class="inline-form"
              buttonClass="button-small"
              label={t("wall.postit.approve")}
            />
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
            <PostitFields
              idSuffix="nouveau"
              text={props.draft?.text}
              colour={props.draft?.colour}
              column={Number(props.draft?.column ?? 0) || 0}
              columns={wall.columns}
            />
            <button type="submit" class="button-primary">
              {t("wall.postit.add")}
            </button>
          </form>
        </section>
      ) : null}
      {wall.canModerate ? (
        <form method="post" action={`/murs/${wall.id}/mode`} class="card">
          <CsrfField token={csrf} />
          <WallModeChoice chosen={wall.mode} />
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
