// 622E: a class's figures for its teacher.
import { t } from "../../src/i18n";
import { percent, type ClassStatistics } from "../../src/services/classroom/class-statistics";
import type { Chrome } from "../chrome";
import { Layout } from "../layout";
import { longDay } from "../components/dates";

export function ClassStatisticsPage(props: { chrome: Chrome; stats: ClassStatistics }) {
  const s = props.stats;
  const presence = s.attendance.halfDays * s.pupils;
  return (
    <Layout chrome={props.chrome}>
      <h1>{t("stats.title", { name: s.klass.name })}</h1>
      <p>{t("stats.since", { day: longDay(s.since), pupils: s.pupils })}</p>
      <dl class="card stats">
        <dt>{t("stats.homework")}</dt>
        <dd>
          {t("stats.homework_line", {
            items: s.homework.items,
            rate: percent(s.homework.ticks, s.homework.items * s.pupils),
          })}
        </dd>
        <dt>{t("stats.liaison")}</dt>
        <dd>
          {t("stats.liaison_line", { notes: s.liaison.notes, rate: percent(s.liaison.read, s.liaison.expected) })}
        </dd>
        <dt>{t("stats.attendance")}</dt>
        <dd>
          {t("stats.attendance_line", {
            halfDays: s.attendance.halfDays,
            rate: percent(presence - s.attendance.absences, presence),
            absences: s.attendance.absences,
            lates: s.attendance.lates,
          })}
        </dd>
      </dl>
    </Layout>
  );
}
