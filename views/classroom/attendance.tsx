// Attendance (54O): the roll of a class (one screen, everyone present by default), the director's day, the parents'
// page (their children's absences, announcing one in advance).
import { t, type MessageKey } from "../../src/i18n";
import type { DailySheet, ParentAbsences, RollSheet } from "../../src/services/classroom/attendance";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField } from "../components/csrf";
import { Flash } from "../components/flash";
import { longDay } from "../components/dates";
import { ScrollTable } from "../components/table";
import { DateField, InputField, SelectField, formErrors } from "../components/fields";

const attendanceErrors = (codes: string[] | undefined) =>
  formErrors(codes, (e) => t(`attendance.error.${e}` as MessageKey));

export function RollClassesPage(props: { chrome: Chrome; classes: { id: string; name: string }[]; director: boolean }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("attendance.title")}</h1>
      {props.director ? (
        <p>
          <a href="/appel/ecole">{t("attendance.school_day")}</a>
        </p>
      ) : null}
      {props.classes.length === 0 ? (
        <p>{t("attendance.no_class")}</p>
      ) : (
        <ul class="cards">
          {props.classes.map((c) => (
            <li class="card">
              <a class="card-title" href={`/appel/${c.id}`}>
                {c.name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function RollPage(props: { chrome: Chrome; sheet: RollSheet; notice?: MessageKey; errors?: string[] }) {
  const { sheet } = props;
  const errors = attendanceErrors(props.errors);
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("attendance.roll_title", { name: sheet.klass.name })}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
      <form method="get" action={`/appel/${sheet.klass.id}`} class="card">
        <div class="field-row">
          <DateField id="jour" label={t("attendance.day")} value={sheet.day} error={errors.of("day", "future")} />
          <SelectField
            id="demi"
            label={t("attendance.half")}
            options={(["matin", "apres-midi"] as const).map((h) => ({ value: h, label: t(`attendance.half.${h}`) }))}
            chosen={sheet.half}
            error={errors.of("half")}
          />
        </div>
        <button type="submit">{t("attendance.show")}</button>
      </form>
      <p>
        {sheet.taken ? t("attendance.taken") : t("attendance.not_taken")} {t("attendance.default_present")}
      </p>
      <form method="post" action={`/appel/${sheet.klass.id}`} class="card">
        <CsrfField token={props.chrome.csrfToken} />
        <input type="hidden" name="jour" value={sheet.day} />
        <input type="hidden" name="demi" value={sheet.half} />
        {sheet.pupils.map((pu, i) => (
          <fieldset class="roll-line">
            <legend>
              {pu.name}
              {pu.announced ? ` — ${t("attendance.announced", { reason: pu.announced })}` : ""}
            </legend>
            {(["present", "absent", "late"] as const).map((st) => (
              <span class="field-check">
                <input
                  type="radio"
                  id={`st-${i}-${st}`}
                  name={`statut:${pu.id}`}
                  value={st}
                  checked={pu.status === st}
                />
                <label for={`st-${i}-${st}`}>{t(`attendance.status.${st}`)}</label>
              </span>
            ))}
            <label for={`motif-${i}`} class="visually-hidden">
              {t("attendance.reason_for", { name: pu.name })}
            </label>
            <input
              id={`motif-${i}`}
              name={`motif:${pu.id}`}
              maxlength={300}
              value={pu.reason}
              placeholder={t("attendance.reason")}
            />
          </fieldset>
        ))}
        <button type="submit" class="button-primary">
          {t("attendance.save")}
        </button>
      </form>
      <p>
        <a href={`/appel/${sheet.klass.id}/registre.ods?mois=${sheet.day.slice(0, 7)}`}>
          {t("attendance.export_ods", { month: sheet.day.slice(0, 7) })}
        </a>
        {" — "}
        <a href={`/appel/${sheet.klass.id}/registre.csv?mois=${sheet.day.slice(0, 7)}`}>
          {t("attendance.export", { month: sheet.day.slice(0, 7) })}
        </a>
      </p>
    </Layout>
  );
}

export function SchoolDayPage(props: { chrome: Chrome; sheet: DailySheet }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("attendance.school_day")}</h1>
      <p>{longDay(props.sheet.day)}</p>
      <ScrollTable
        id="school-day"
        caption={t("attendance.school_day")}
        hiddenCaption
        columns={[
          t("attendance.col.class"),
          t("attendance.half.matin"),
          t("attendance.half.apres-midi"),
          t("attendance.status.absent"),
          t("attendance.status.late"),
        ]}
      >
        {props.sheet.classes.map((c) => (
          <tr>
            <th scope="row">
              <a href={`/appel/${c.id}?jour=${props.sheet.day}`}>{c.name}</a>
            </th>
            <td>{c.halves.matin ? t("attendance.done") : t("attendance.missing")}</td>
            <td>{c.halves["apres-midi"] ? t("attendance.done") : t("attendance.missing")}</td>
            <td>{c.absent.join(", ")}</td>
            <td>{c.late.join(", ")}</td>
          </tr>
        ))}
      </ScrollTable>
    </Layout>
  );
}

export function ParentAbsencesPage(props: {
  chrome: Chrome;
  view: ParentAbsences;
  notice?: MessageKey;
  errors?: string[];
  draft?: { child: string; from: string; to: string; reason: string };
}) {
  const { view } = props;
  const errors = attendanceErrors(props.errors);
  const draft = props.draft ?? { child: view.children[0]?.id ?? "", from: "", to: "", reason: "" };
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("attendance.parent_title")}</h1>
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
      <h2>{t("attendance.recorded")}</h2>
      {view.absences.length === 0 ? (
        <p>{t("attendance.none")}</p>
      ) : (
        <ul>
          {view.absences.map((a) => (
            <li>
              {a.child} — {longDay(a.day)}, {t(`attendance.half.${a.half as "matin"}`)} :{" "}
              {t(`attendance.status.${a.status as "absent"}`)}
              {a.reason ? ` (${a.reason})` : ""}
            </li>
          ))}
        </ul>
      )}
      {view.notices.length ? (
        <>
          <h2>{t("attendance.announced_title")}</h2>
          <ul>
            {view.notices.map((n) => (
              <li>
                {n.child} — {longDay(n.from)} → {longDay(n.to)} : {n.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {view.children.length ? (
        <form method="post" action="/absences" class="card" novalidate>
          <CsrfField token={props.chrome.csrfToken} />
          <h2>{t("attendance.announce")}</h2>
          <SelectField
            id="enfant"
            label={t("attendance.child")}
            options={view.children.map((c) => ({ value: c.id, label: c.name }))}
            chosen={draft.child}
            error={errors.of("child")}
          />
          <div class="field-row">
            <DateField id="du" label={t("attendance.from")} value={draft.from} error={errors.of("from", "past")} />
            <DateField id="au" label={t("attendance.to")} value={draft.to} error={errors.of("to")} />
          </div>
          <InputField
            id="motif"
            label={t("attendance.reason")}
            maxlength={300}
            value={draft.reason}
            error={errors.of("reason")}
          />
          <button type="submit" class="button-primary">
            {t("attendance.announce_submit")}
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
