// The walls of the school the user may open, and the creation form for teachers (54B).
import { t } from "../../src/i18n";
import type { Wall, WallErrors, WallTargets } from "../../src/services/collaboration/walls";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { wallTargetLabel } from "./wall";

export interface WallDraft {
  title: string;
  target: string;
  layout: string;
  mode: string;
  columns: string;
}

export function WallsPage(props: {
  chrome: Chrome;
  walls: Wall[];
  targets: WallTargets;
  errors?: WallErrors;
  draft?: WallDraft;
}) {
  const { chrome, targets } = props;
  const errors = props.errors ?? {};
  const draft = props.draft ?? { title: "", target: "", layout: "free", mode: "open", columns: "" };
  const canCreate = targets.school || targets.classes.length > 0 || targets.groups.length > 0;
  const err = (field: keyof WallErrors) =>
    errors[field] ? (
      <p class="field-error" id={`err-${field}`}>
        {t(`wall.error.${field}_${errors[field]}` as Parameters<typeof t>[0])}
      </p>
    ) : null;
  return (
    <Layout chrome={chrome}>
      <h1>{t("wall.list.title")}</h1>
      {Object.keys(errors).length ? <Flash kind="error" text={t("wall.error.form")} /> : null}
      {props.walls.length === 0 ? (
        <p>{t("wall.list.none")}</p>
      ) : (
        <ul class="card-list">
          {props.walls.map((w) => (
            <li class="card">
              <a href={`/murs/${w.id}`}>{w.title}</a>
              <span class="hint">
                {" "}
                — {wallTargetLabel(w)} · {t(`wall.mode.short.${w.mode}`)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {canCreate ? (
        <form method="post" action="/murs" class="card" novalidate>
          <CsrfField token={chrome.csrfToken} />
          <h2>{t("wall.new.title")}</h2>
          <div class="field">
            <label for="titre">{t("wall.new.name")}</label>
            <input
              id="titre"
              name="titre"
              value={draft.title}
              maxlength={120}
              required
              aria-invalid={errors.title ? "true" : undefined}
              aria-describedby={errors.title ? "err-title" : undefined}
            />
            {err("title")}
          </div>
          <div class="field">
            <label for="cible">{t("wall.new.target")}</label>
            <select
              id="cible"
              name="cible"
              aria-invalid={errors.target ? "true" : undefined}
              aria-describedby={errors.target ? "err-target" : undefined}
            >
              {targets.classes.map((c) => (
                <option value={`classe:${c.id}`} selected={draft.target === `classe:${c.id}`}>
                  {t("wall.list.for_class", { name: c.name })}
                </option>
              ))}
              {targets.groups.map((g) => (
                <option value={`groupe:${g.id}`} selected={draft.target === `groupe:${g.id}`}>
                  {t("wall.list.for_group", { name: g.name })}
                </option>
              ))}
              {targets.school ? (
                <option value="ecole" selected={draft.target === "ecole"}>
                  {t("wall.new.target.school")}
                </option>
              ) : null}
            </select>
            {err("target")}
          </div>
          <fieldset aria-describedby={errors.layout ? "err-layout" : undefined}>
            <legend>{t("wall.new.layout")}</legend>
            {(["free", "columns"] as const).map((l) => (
              <div class="field field-check">
                <input type="radio" id={`disposition-${l}`} name="disposition" value={l} checked={draft.layout === l} />
                <label for={`disposition-${l}`}>{t(`wall.layout.${l}`)}</label>
              </div>
            ))}
            {err("layout")}
          </fieldset>
          <div class="field">
            <label for="colonnes">{t("wall.new.columns")}</label>
            <textarea
              id="colonnes"
              name="colonnes"
              rows={3}
              aria-invalid={errors.columns ? "true" : undefined}
              aria-describedby={errors.columns ? "err-columns" : undefined}
            >
              {draft.columns}
            </textarea>
            {err("columns")}
          </div>
          <fieldset aria-describedby={errors.mode ? "err-mode" : undefined}>
            <legend>{t("wall.mode")}</legend>
            {(["open", "moderated", "closed"] as const).map((m) => (
              <div class="field field-check">
                <input type="radio" id={`mode-${m}`} name="mode" value={m} checked={draft.mode === m} />
                <label for={`mode-${m}`}>{t(`wall.mode.${m}`)}</label>
              </div>
            ))}
            {err("mode")}
          </fieldset>
          <button type="submit" class="button-primary">
            {t("wall.new.submit")}
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
