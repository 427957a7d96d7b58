// The evening page (56C, 54E): one section per child — the work due in the next days, ticked from here with the
// homework log's own form, and the liaison notes still to acknowledge. Plain forms: it works without JavaScript.
import { t } from "../../src/i18n";
import type { EveningChild, EveningItem, EveningNote, EveningView } from "../../src/services/classroom/evening";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { PostButton } from "../components/csrf";
import { dateTime, longDay } from "../components/dates";
import { LinkList, TickForm } from "./homework";

function Item(props: { chrome: Chrome; child: EveningChild; item: EveningItem }) {
  const { item, child } = props;
  return (
    <li class="card homework-entry">
      <h4 class="card-title">{item.subject}</h4>
      <p class="hint">{t("evening.due", { day: longDay(item.dueDate) })}</p>
      <p class="pre">{item.toDo}</p>
      <LinkList links={item.links} />
      {/* The homework log's tick: the same route, which comes back here. */}
      <TickForm
        chrome={props.chrome}
        entryId={item.id}
        week={item.week}
        pupil={{ id: child.id, name: child.firstName }}
        done={item.done}
        returnTo="/ce-soir"
      />
    </li>
  );
}

function Note(props: { chrome: Chrome; child: EveningChild; note: EveningNote; timeZone: string }) {
  const { note, child } = props;
  return (
    <li class="card">
      <h4 class="card-title">
        <a href={`/carnet?enfant=${child.id}`}>{note.title}</a>
      </h4>
      <p class="hint">
        {t("evening.note_from", { date: dateTime(note.createdAt, props.timeZone) })}
        {note.className ? ` — ${note.className}` : ""}
      </p>
      {note.replyKind === "none" ? (
        <PostButton
          action={`/carnet/${note.id}/lu`}
          csrfToken={props.chrome.csrfToken}
          fields={{ enfant: child.id }}
          buttonClass="button-primary"
          label={t("liaison.ack", { name: child.firstName })}
        />
      ) : (
        <p>
          <a href={`/carnet?enfant=${child.id}`}>{t("evening.note_answer")}</a>
        </p>
      )}
    </li>
  );
}

function ChildSection(props: { chrome: Chrome; view: EveningView; child: EveningChild; timeZone: string }) {
  const { child, view } = props;
  const pupil = view.kind === "pupil";
  const heading = `soir-${child.id}`;
  return (
    <section aria-labelledby={heading}>
      <h2 id={heading}>
        {t("evening.child", {
          name: child.firstName,
          classes: child.classes.length ? child.classes.map((c) => c.name).join(", ") : t("evening.no_class"),
        })}
      </h2>
      {child.schoolName ? <p class="hint">{child.schoolName}</p> : null}
      <h3>{t("evening.homework")}</h3>
      {child.homework.length === 0 ? (
        <p>{t("evening.homework_none")}</p>
      ) : (
        <ul class="card-list">
          {child.homework.map((item) => (
            <Item chrome={props.chrome} child={child} item={item} />
          ))}
        </ul>
      )}
      {pupil ? null : (
        <>
          <h3>{t("evening.notes")}</h3>
          {child.notes.length === 0 ? (
            <p>{t("evening.notes_none")}</p>
          ) : (
            <ul class="card-list">
              {child.notes.map((note) => (
                <Note chrome={props.chrome} child={child} note={note} timeZone={props.timeZone} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

export function EveningPage(props: { chrome: Chrome; view: EveningView; timeZone: string }) {
  const { view } = props;
  const range = { from: longDay(view.from), to: longDay(view.to) };
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("evening.title")}</h1>
      <p>{view.kind === "pupil" ? t("evening.intro_pupil", range) : t("evening.intro", range)}</p>
      {view.children.length === 0 ? (
        <p>{t("evening.no_child")}</p>
      ) : (
        view.children.map((child) => (
          <ChildSection chrome={props.chrome} view={view} child={child} timeZone={props.timeZone} />
        ))
      )}
    </Layout>
  );
}
