// Message lookup with `{name}` placeholders. Views call t(); nothing else holds UI text.
import { fr, type MessageKey } from "./fr";

export type { MessageKey };

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text: string = fr[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(fr, key);
}
