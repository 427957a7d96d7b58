// What every page's frame needs, computed by the route layer from the session and the platform.
import type { AssetManifest } from "../src/assets";
import type { MessageKey } from "../src/i18n";

export interface Chrome {
  title: string;
  helpTopic: MessageKey;
  assets: AssetManifest;
  platformName: string;
  csrfToken: string;
  /** Path of the page, for forms that come back to it (font switch). */
  path: string;
  font: "standard" | "dyslexic";
  /** 51J: the simple pupil theme (big targets, pictograms, colour codes). */
  pupilTheme: boolean;
  user: {
    name: string;
    activeSchool: { uai: string; name: string } | null;
    /** Schools the user may switch between (a parent with children in two schools). */
    schools: { uai: string; name: string }[];
    unreadNotifications: number;
  } | null;
}
