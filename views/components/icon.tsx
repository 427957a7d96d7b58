import type { AssetManifest } from "../../src/assets";
import type { IconName } from "../../src/services/portal/apps";

/** A pictogram from the SVG sprite; decorative, the text next to it carries the meaning. */
export function Icon(props: {
  assets: AssetManifest;
  name: IconName | "speaker" | "font" | "logout" | "menu" | "plus";
  class?: string;
}) {
  return (
    <svg class={props.class ?? "icon"} aria-hidden="true" focusable="false">
      <use href={`${props.assets["icons.svg"]}#${props.name}`} />
    </svg>
  );
}
