// 58D "voir comme un élève / un parent": the preview hub of a class (its home launcher, walls, shared documents,
// agenda and news feed as a pupil or a parent of it sees them) and a wall opened read-only. Nothing here changes
// anything: no form, no button, no realtime script.
import { t } from "../../src/i18n";
import { VIEW_AS_PARAM, type ClassPreview, type WallPreview } from "../../src/services/classroom/view-as";
import type { AgendaEntry } from "../../src/services/classroom/agenda";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { dateTime, longDay } from "../components/dates";
import { ViewAsBanner } from "../components/view-as";
import { postitLabel, wallTargetLabel } from "../collaboration/wall";

function entryWhen(e: AgendaEntry, timeZone: string): string {
  if (!e.allDay) return `${dateTime(e.startsAt, timeZone)} – ${dateTime(e.endsAt, timeZone)}`;
  return e.firstDay === e.lastDay ? longDay(e.firstDay) : `${longDay(e.firstDay)} – ${longDay(e.lastDay)}`;
}

const None = (props: { text?: string }) => <p>{props.text ?? t("common.none")}</p>;

export function ClassPreviewPage(props: { chrome: Chrome; preview: ClassPreview; timeZone: string }) {
  const { preview: pv, timeZone } = props;
  const { klass, as } = pv;
  const voir = VIEW_AS_PARAM[as];
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("viewas.hub_title", { name: klass.name })}</h1>
      <ViewAsBanner as={as} className={klass.name} back={`/classes/${klass.id}`} detail={t("viewas.hub_intro")} />
      <p>
        {t("viewas.more")} : <a href={`/cahier/${klass.id}?voir=${voir}`}>{t("homework.app.name")}</a>
        {as === "parent" ? (
          <>
            {" · "}
            <a href={`/carnet/apercu/${klass.id}`}>{t("liaison.app.name")}</a>
          </>
        ) : null}
      </p>
      <section aria-labelledby="preview-apps">
        <h2 id="preview-apps">{t("viewas.section.apps")}</h2>
        <ul class="preview-apps">
          {pv.apps.map((a) => (
            <li data-app={a.id}>
              <strong>{t(a.name)}</strong> — {t(a.description)}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="preview-walls">
        <h2 id="preview-walls">{t("viewas.section.walls")}</h2>
        {!pv.rooms ? (
          <None text={t("viewas.no_rooms")} />
        ) : pv.walls.length ? (
          <ul class="preview-walls">
            {pv.walls.map((w) => (
              <li>
                <a href={`/classes/${klass.id}/apercu/murs/${w.id}?voir=${voir}`}>{w.title}</a> — {wallTargetLabel(w)}
              </li>
            ))}
          </ul>
        ) : (
          <None text={as === "parent" ? t("viewas.no_walls.parent") : undefined} />
        )}
      </section>
      <section aria-labelledby="preview-documents">
        <h2 id="preview-documents">{t("viewas.section.documents")}</h2>
        {!pv.rooms ? (
          <None text={t("viewas.no_rooms")} />
        ) : pv.documents.length ? (
          <ul class="preview-documents">
            {pv.documents.map((d) => (
              <li>{d.title}</li>
            ))}
          </ul>
        ) : (
          <None text={as === "parent" ? t("viewas.no_documents.parent") : undefined} />
        )}
      </section>
      <section aria-labelledby="preview-agenda">
        <h2 id="preview-agenda">{t("viewas.section.agenda")}</h2>
        {pv.agenda.entries.length ? (
          <ul class="preview-agenda">
            {pv.agenda.entries.map((e) => (
              <li>
                {entryWhen(e, timeZone)} — <strong>{e.title}</strong>
                {e.place ? ` (${e.place})` : ""}
              </li>
            ))}
          </ul>
        ) : (
          <None />
        )}
      </section>
      <section aria-labelledby="preview-urgent">
        <h2 id="preview-urgent">{t("viewas.section.urgent")}</h2>
        {pv.feed.urgent.length ? (
          <ul class="preview-urgent">
            {pv.feed.urgent.map((a) => (
              <li>
                <strong>{a.title}</strong> — {a.body} <em>({a.signedAs})</em>
              </li>
            ))}
          </ul>
        ) : (
          <None />
        )}
      </section>
      <section aria-labelledby="preview-dates">
        <h2 id="preview-dates">{t("viewas.section.dates")}</h2>
        {pv.feed.dates.length ? (
          <ul class="preview-dates">
            {pv.feed.dates.map((d) => (
              <li>
                {longDay(d.onDate)} — <strong>{d.title}</strong> ({d.className ?? t("viewas.whole_school")})
              </li>
            ))}
          </ul>
        ) : (
          <None />
        )}
      </section>
    </Layout>
  );
}

export function WallPreviewPage(props: { chrome: Chrome; preview: WallPreview }) {
  const { klass, wall, postits } = props.preview;
  const item = (p: WallPreview["postits"][number]) => (
    <li class={`postit postit-${p.colour}`} aria-label={postitLabel(p)}>
      <p class="postit-text">{p.text}</p>
      <p class="postit-author">{t("wall.postit.by", { name: p.authorName })}</p>
    </li>
  );
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("viewas.wall_title", { title: wall.title })}</h1>
      <ViewAsBanner as="pupil" className={klass.name} back={`/murs/${wall.id}`} />
      <p>
        <a href={`/classes/${klass.id}/apercu?voir=eleve`}>{t("viewas.wall_back")}</a>
      </p>
      {wall.layout === "columns" ? (
        <div class="wall-columns">
          {wall.columns.map((name, i) => (
            <section class="wall-column" aria-labelledby={`col-${i}`}>
              <h2 id={`col-${i}`}>{name}</h2>
              <ul class="postits">{postits.filter((p) => p.column === i).map(item)}</ul>
            </section>
          ))}
        </div>
      ) : postits.length ? (
        <ul class="postits">{postits.map(item)}</ul>
      ) : (
        <None />
      )}
    </Layout>
  );
}
