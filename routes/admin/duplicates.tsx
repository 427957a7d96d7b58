// 612A / 621C: possible duplicates, for a school's director (/ecole/doublons) and for the académie (all schools).
// Parsing and rendering only: src/services/admin/duplicates.ts decides, duplicates.review says who may.
import * as v from "valibot";
import { t } from "../../src/i18n";
import { chromeFor, renderError, renderPage } from "../../src/http/render";
import { fieldsOf, readForm } from "../../src/http/forms";
import { dismissDuplicateFlag, duplicateReview, type ReviewPerimeter } from "../../src/services/admin/duplicates";
import { bounded, readWith } from "../../src/validation";
import { DuplicatesPage } from "../../views/admin/duplicates";
import { signedInRoutes } from "../guards";

const PAGES: { path: string; perimeter: ReviewPerimeter }[] = [
  { path: "/ecole/doublons", perimeter: "school" },
  { path: "/admin/annuaire/doublons", perimeter: "academie" },
];

export const duplicateRoutes = signedInRoutes(...PAGES.map((page) => page.path));

/** The flag a reviewer closes (a serial number; the service refuses anything else as not found). */
const DismissForm = v.object({ signalement: v.pipe(bounded(20), v.transform(Number)) });

for (const { path, perimeter } of PAGES) {
  duplicateRoutes.get(path, async (c) => {
    const pairs = await duplicateReview(c.var.deps, c.var.principal, perimeter);
    if (!pairs) return renderError(c, 403);
    return renderPage(
      c,
      <DuplicatesPage
        chrome={chromeFor(c, t("duplicates.title"), "help.topic.duplicates")}
        pairs={pairs}
        action={path}
        showSchool={perimeter === "academie"}
        done={c.req.query("clos") === "1"}
      />,
    );
  });

  duplicateRoutes.post(path, async (c) => {
    const form = readWith(DismissForm, fieldsOf(await readForm(c), DismissForm));
    const outcome = await dismissDuplicateFlag(c.var.deps, c.var.principal, perimeter, form.signalement);
    if (outcome !== "ok") return renderError(c, outcome === "forbidden" ? 403 : 404);
    return c.redirect(`${path}?clos=1`, 303);
  });
}
