// Cookie names and attributes. `__Host-` pins a cookie to this host over HTTPS; on plain HTTP (a LAN demo with
// PREAU_COOKIE_SECURE=false) the prefix would make browsers drop it, so it is left off there.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AnyEnv } from "./env";

export type CookieName = "session" | "csrf" | "font" | "challenge";

function fullName<E extends AnyEnv>(c: Context<E>, name: CookieName): string {
  return c.var.platform.config.cookieSecure ? `__Host-preau_${name}` : `preau_${name}`;
}

export function readCookie<E extends AnyEnv>(c: Context<E>, name: CookieName): string | undefined {
  return getCookie(c, fullName(c, name));
}

export function writeCookie<E extends AnyEnv>(
  c: Context<E>,
  name: CookieName,
  value: string,
  maxAgeSeconds?: number,
): void {
  setCookie(c, fullName(c, name), value, {
    path: "/",
    httpOnly: true,
    secure: c.var.platform.config.cookieSecure,
    sameSite: "Lax",
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  });
}

export function clearCookie<E extends AnyEnv>(c: Context<E>, name: CookieName): void {
  deleteCookie(c, fullName(c, name), { path: "/", secure: c.var.platform.config.cookieSecure });
}
