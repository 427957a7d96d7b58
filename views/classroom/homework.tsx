// The homework log (56C): the list of classes, the week of a class (with the teacher's form), and a printable week.
import { t, type MessageKey } from "../../src/i18n";
import { LIMITS, type EntryInput, type HomeworkClass, type HomeworkWeek } from "../../src/services/classroom/homework";
import { addDays } from "../../src/time";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { CsrfField, PostButton } from "../components/csrf";
import { Flash } from "../components/flash";
import { longDay } from "../components/dates";
import { ViewAsBanner, ViewAsSwitch } from "../components/view-as";
import { DateField, InputField, TextAreaField, formErrors } from "../components/fields";
import { VIEW_AS_PARAM } from "../../src/services/classroom/view-as";

export function HomeworkClassesPage(props: { chrome: Chrome; classes: HomeworkClass[] }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("homework.title")}</h1>
      {props.classes.length === 0 ? (
        <p>{t("homework.no_class")}</p>
      ) : (
        <ul class="cards">
          {props.classes.map((c) => (
            <li class="card">
              <a class="card-title" href={`/cahier/${c.id}`}>
                {c.name}
              </a>
              <p>
                {c.schoolName}
                {c.children.length ? ` — ${c.children.join(", ")}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** The links of a piece of homework, opened without handing them the page. */
export function LinkList(props: { links: string[] }) {
  if (props.links.length === 0) return null;
  return (
    <ul>
      {props.links.map((l) => (
        <li>
          <a href={l} rel="noopener noreferrer">
            {l}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** "Fait"/"Pas encore fait" for one pupil: the route answers with the class's week, or `returnTo`. */
export function TickForm(props: {
  chrome: Chrome;
  entryId: string;
  week: string;
  pupil: { id: string; name: string };
  done: boolean;
  returnTo?: string;
  class?: string;
}) {
  const { pupil, done } = props;
  return (
    <form method="post" action={`/cahier/entrees/${props.entryId}/fait?semaine=${props.week}`} class={props.class}>
      <CsrfField token={props.chrome.csrfToken} />
      <input type="hidden" name="eleve" value={pupil.id} />
      <input type="hidden" name="fait" value={done ? "0" : "1"} />
      {props.returnTo ? <input type="hidden" name="retour" value={props.returnTo} /> : null}
      <button type="submit" aria-pressed={done ? "true" : "false"}>
        {done ? t("homework.undo", { name: pupil.name }) : t("homework.tick", { name: pupil.name })}
      </button>
    </form>
  );
}

function Entry(props: { chrome: Chrome; week: HomeworkWeek; e: HomeworkWeek["entries"][number]; print?: boolean }) {
  const { e, week } = props;
  return (
    <li class="card homework-entry">
      <h3 class="card-title">{e.subject}</h3>
      <p class="hint">
        {t("homework.lesson_of", { day: longDay(e.day) })}
        {e.author ? ` — ${e.author}` : ""}
      </p>
      {e.doneInClass ? (
        <>
          <h4>{t("homework.done_in_class")}</h4>
          <p class="pre">{e.doneInClass}</p>
        </>
      ) : null}
      {e.toDo ? (
        <>
          <h4>{e.dueDate ? t("homework.to_do_for", { day: longDay(e.dueDate) }) : t("homework.to_do")}</h4>
          <p class="pre">{e.toDo}</p>
        </>
      ) : null}
      <LinkList links={e.links} />
      {props.print ? null : week.viewAs ? (
        e.toDo ? (
          <p class="hint">{t(`viewas.homework_tick.${week.viewAs}`)}</p>
        ) : null
      ) : week.access === "write" ? (
        <>
          {e.toDo ? (
            <p>
              {t("homework.ticked_count", { count: e.tickedBy.length, total: week.pupils })}
              {e.tickedBy.length ? ` : ${e.tickedBy.join(", ")}` : ""}
            </p>
          ) : null}
          <PostButton
            action={`/cahier/entrees/${e.id}/supprimer`}
            csrfToken={props.chrome.csrfToken}
            class="inline-form"
            label={t("homework.remove", { subject: e.subject })}
          />
        </>
      ) : e.toDo ? (
        week.tickers.map((k) => (
          <TickForm
            chrome={props.chrome}
            entryId={e.id}
            week={week.monday}
            pupil={k}
            done={e.doneFor.includes(k.id)}
            class="inline-form"
          />
        ))
      ) : null}
    </li>
  );
}

export function HomeworkWeekPage(props: {
  chrome: Chrome;
  week: HomeworkWeek;
  draft?: EntryInput;
  errors?: string[];
  notice?: MessageKey;
}) {
  const { week } = props;
  const errors = formErrors(props.errors, (e) => t(`homework.error.${e}` as MessageKey));
  const draft = props.draft ?? { day: "", subject: "", doneInClass: "", toDo: "", dueDate: "", links: "" };
  const voir = week.viewAs ? `voir=${VIEW_AS_PARAM[week.viewAs]}&` : "";
  const link = (monday: string) => `/cahier/${week.klass.id}?${voir}semaine=${monday}`;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("homework.week_title", { name: week.klass.name })}</h1>
      {week.viewAs ? (
        <ViewAsBanner
          as={week.viewAs}
          className={week.klass.name}
          back={`/cahier/${week.klass.id}?semaine=${week.monday}`}
        />
      ) : null}
      {props.notice ? <Flash kind="info" text={t(props.notice)} /> : null}
      {errors.summary ? <Flash kind="error" text={errors.summary} /> : null}
      <nav class="pager" aria-label={t("homework.weeks")}>
        <a href={link(addDays(week.monday, -7))} rel="prev">
          {t("homework.previous_week")}
        </a>
        <span>{t("homework.week_of", { day: longDay(week.monday) })}</span>
        <a href={link(addDays(week.monday, 7))} rel="next">
          {t("homework.next_week")}
        </a>
        <a href={`/cahier/${week.klass.id}/imprimer?semaine=${week.monday}`}>{t("homework.print")}</a>
        {week.access === "write" ? <a href={`/cahier/${week.klass.id}/statistiques`}>{t("stats.link")}</a> : null}
      </nav>
      {week.access === "write" ? (
        <ViewAsSwitch base={`/cahier/${week.klass.id}`} params={{ semaine: week.monday }} />
      ) : null}
      {week.entries.length === 0 ? (
        <p>{t("homework.empty_week")}</p>
      ) : (
        <ul class="card-list">
          {week.entries.map((e) => (
            <Entry chrome={props.chrome} week={week} e={e} />
          ))}
        </ul>
      )}
      {week.access === "write" && !week.viewAs ? (
        <form method="post" action={`/cahier/${week.klass.id}`} class="card" novalidate>
          <CsrfField token={props.chrome.csrfToken} />
          <input type="hidden" name="semaine" value={week.monday} />
          <h2>{t("homework.new")}</h2>
          <DateField id="jour" label={t("homework.field.day")} required value={draft.day} error={errors.of("day")} />
          <InputField
            id="matiere"
            label={t("homework.field.subject")}
            maxlength={LIMITS.subject}
            required
            value={draft.subject}
            error={errors.of("subject")}
          />
          <TextAreaField
            id="fait"
            name="fait_en_classe"
            label={t("homework.done_in_class")}
            rows={3}
            maxlength={LIMITS.text}
            lang="fr"
            value={draft.doneInClass}
            error={errors.of("empty", "text")}
          />
          <TextAreaField
            id="afaire"
            name="a_faire"
            label={t("homework.to_do")}
            rows={3}
            maxlength={LIMITS.text}
            lang="fr"
            value={draft.toDo}
            error={errors.of("empty", "text")}
          />
          <DateField
            id="pour"
            name="pour_le"
            label={t("homework.field.due")}
            value={draft.dueDate}
            error={errors.of("due")}
          />
          <TextAreaField
            id="liens"
            label={t("homework.field.links")}
            rows={2}
            value={draft.links}
            error={errors.of("links")}
          />
          <button type="submit" class="button-primary">
            {t("homework.submit")}
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

export function HomeworkPrintPage(props: { chrome: Chrome; week: HomeworkWeek }) {
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("homework.week_title", { name: props.week.klass.name })}</h1>
      <p>
        {props.week.klass.schoolName} — {t("homework.week_of", { day: longDay(props.week.monday) })}
      </p>
      {props.week.entries.length === 0 ? (
        <p>{t("homework.empty_week")}</p>
      ) : (
        <ul class="card-list">
          {props.week.entries.map((e) => (
            <Entry chrome={props.chrome} week={props.week} e={e} print />
          ))}
        </ul>
      )}
    </Layout>
  );
}
