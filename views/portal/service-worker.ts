// The service worker (51B/51C), served at /sw.js so that its scope is the whole hub. It shows Web Push notices and
// opens their link when tapped. It caches nothing: pages carry personal data and must always be fresh.
export const SERVICE_WORKER = `"use strict";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("push", function (event) {
  var notice = { title: "Préau", body: "", link: "/notifications" };
  try { if (event.data) notice = Object.assign(notice, event.data.json()); } catch (e) { notice.body = event.data ? event.data.text() : ""; }
  event.waitUntil(self.registration.showNotification(notice.title, {
    body: notice.body, lang: "fr", icon: "/favicon.svg", badge: "/favicon.svg", data: { link: notice.link || "/notifications" }
  }));
});
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var link = new URL(event.notification.data && event.notification.data.link || "/", self.location.origin);
  if (link.origin !== self.location.origin) link = new URL("/", self.location.origin);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if ("navigate" in windows[i] && "focus" in windows[i]) return windows[i].navigate(link.href).then(function (w) { return w && w.focus(); });
    }
    return self.clients.openWindow(link.href);
  }));
});
`;
