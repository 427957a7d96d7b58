// 58D "voir comme": the banner over a teacher's read-only preview of a pupil's or a parent's page, and the switch
// on the teacher's own page.
import { t } from "../../src/i18n";
import { VIEW_AS_PARAM, type ViewAs } from "../../src/services/classroom/view-as";

/** "Aperçu : ce que voit un élève de CM1 — lecture seule", with the way back. */
export function ViewAsBanner(props: { as: ViewAs; className: string; back: string; detail?: string }) {
  return (
    <div class="flash flash-info" role="note">
      <p>
        <strong>{t(`viewas.banner.${props.as}`, { name: props.className })}</strong> —{" "}
        <a href={props.back}>{t("viewas.leave")}</a>
      </p>
      {props.detail ? <p>{props.detail}</p> : null}
    </div>
  );
}

/** "Voir comme un élève · Voir comme un parent": links to `base` with `?voir=…` (and the other parameters given). */
export function ViewAsSwitch(props: { base: string; params?: Record<string, string> }) {
  const link = (as: ViewAs) =>
    `${props.base}?${new URLSearchParams({ voir: VIEW_AS_PARAM[as], ...props.params }).toString()}`;
  return (
    <p class="view-as">
      {t("viewas.switch")} :{" "}
      {(["pupil", "parent"] as const).map((as, i) => (
        <>
          {i ? " · " : ""}
          <a href={link(as)}>{t(as === "pupil" ? "viewas.as_pupil" : "viewas.as_parent")}</a>
        </>
      ))}
    </p>
  );
}
