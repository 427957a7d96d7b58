// The walls of the school the user may open, and the creation form for teachers (54B).
import { t, type MessageKey } from "../../src/i18n";
import type { Wall, WallErrors, WallTargets } from "../../src/services/collaboration/walls";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { ChoiceGroup, InputField, SelectField, TextAreaField } from "../components/fields";
import { WallModeChoice, wallTargetLabel } from "./wall";

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
    errors[field] ? t(`wall.error.${field}_${errors[field]}` as MessageKey) : undefined;
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
          <InputField
            id="titre"
            label={t("wall.new.name")}
            value={draft.title}
            maxlength={120}
            required
            error={err("title")}
          />
          <SelectField
            id="cible"
            label={t("wall.new.target")}
            options={[
              ...targets.classes.map((c) => ({
                value: `classe:${c.id}`,
                label: t("wall.list.for_class", { name: c.name }),
              })),
              ...targets.groups.map((g) => ({
                value: `groupe:${g.id}`,
                label: t("wall.list.for_group", { name: g.name }),
              })),
              ...(targets.school ? [{ value: "ecole", label: t("wall.new.target.school") }] : []),
            ]}
            chosen={draft.target}
            error={err("target")}
          />
          <ChoiceGroup
            type="radio"
            name="disposition"
            legend={t("wall.new.layout")}
            choices={(["free", "columns"] as const).map((l) => ({ value: l, label: t(`wall.layout.${l}`) }))}
            chosen={draft.layout}
            error={err("layout")}
          />
          <TextAreaField
            id="colonnes"
            label={t("wall.new.columns")}
            rows={3}
            value={draft.columns}
            error={err("columns")}
          />
          <WallModeChoice chosen={draft.mode} error={err("mode")} />
          <button type="submit" class="button-primary">
            {t("wall.new.submit")}
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
