import type { Child } from "hono/jsx";

/**
 * A data table that scrolls sideways on a small screen. The scrolling region is focusable (a keyboard user can
 * scroll it) and named by the table's caption (`<id>-caption`, hidden where the page's heading already says it);
 * `columns` are the column headers, `children` the rows.
 */
export function ScrollTable(props: {
  id: string;
  caption: Child;
  hiddenCaption?: boolean;
  columns: readonly Child[];
  children: Child;
}) {
  const captionId = `${props.id}-caption`;
  return (
    <div class="table-scroll" tabindex={0} role="region" aria-labelledby={captionId}>
      <table>
        <caption id={captionId} class={props.hiddenCaption ? "visually-hidden" : undefined}>
          {props.caption}
        </caption>
        <thead>
          <tr>
            {props.columns
              .filter((c) => c !== null && c !== undefined && c !== false)
              .map((c) => (
                <th scope="col">{c}</th>
              ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
