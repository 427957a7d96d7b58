// Préau's small enhancements. Everything works without this file; it only adds what needs a script.
// 51K: read the page aloud where the browser can speak (speechSynthesis), in French.
(() => {
  function readAloud(button) {
    if (!("speechSynthesis" in window)) return;
    var label = button.querySelector("span");
    button.hidden = false;
    button.addEventListener("click", () => {
      var synth = window.speechSynthesis;
      if (synth.speaking) {
        synth.cancel();
        return;
      }
      var main = document.getElementById("contenu");
      if (!main) return;
      var utterance = new SpeechSynthesisUtterance(main.innerText);
      utterance.lang = "fr-FR";
      utterance.rate = 0.9;
      utterance.onstart = () => {
        label.textContent = button.dataset.stop;
        button.setAttribute("aria-pressed", "true");
      };
      utterance.onend = utterance.onerror = () => {
        label.textContent = button.dataset.start;
        button.setAttribute("aria-pressed", "false");
      };
      synth.speak(utterance);
    });
  }
  // 51B/51C: the installable app's service worker, and this device's Web Push subscription on "Mes notifications".
  function base64urlToBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded),
      bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function pushDevice(box, registration) {
    var status = box.querySelector(".push-status");
    var enable = box.querySelector(".push-enable"),
      disable = box.querySelector(".push-disable");
    function say(text) {
      status.textContent = text;
    }
    function post(path, body) {
      return fetch(path, {
        method: "POST",
        credentials: "same-origin",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", "x-csrf-token": box.dataset.csrf },
      }).then((r) =>
        r.json().then((j) => {
          if (!r.ok) throw new Error(j.error);
          return j;
        }),
      );
    }
    if (!registration || !("PushManager" in window) || !("Notification" in window)) {
      box.hidden = false;
      enable.hidden = disable.hidden = true;
      say(box.dataset.unsupported);
      return;
    }
    function show(subscribed) {
      enable.hidden = subscribed;
      disable.hidden = !subscribed;
      box.hidden = false;
    }
    registration.pushManager.getSubscription().then((s) => {
      show(!!s);
    });
    enable.addEventListener("click", () => {
      Notification.requestPermission()
        .then((permission) => {
          if (permission !== "granted") {
            say(box.dataset.denied);
            return;
          }
          return registration.pushManager
            .subscribe({ userVisibleOnly: true, applicationServerKey: base64urlToBytes(box.dataset.key) })
            .then((s) => post("/compte/notifications/appareils", s.toJSON()))
            .then((r) => {
              show(true);
              say(r.message);
            });
        })
        .catch((e) => {
          say(e.message || box.dataset.unsupported);
        });
    });
    disable.addEventListener("click", () => {
      registration.pushManager
        .getSubscription()
        .then((s) => {
          if (!s) return show(false);
          return post("/compte/notifications/appareils/retirer", { endpoint: s.endpoint })
            .then(() => s.unsubscribe())
            .then(() => {
              show(false);
              say(box.dataset.disabled);
            });
        })
        .catch((e) => {
          say(e.message);
        });
    });
  }
  function serviceWorker() {
    var box = document.querySelector(".push-device");
    if (!("serviceWorker" in navigator)) {
      if (box) pushDevice(box, null);
      return;
    }
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then((registration) => {
        if (box)
          navigator.serviceWorker.ready.then((ready) => {
            pushDevice(box, ready);
          });
        return registration;
      })
      .catch(() => {
        if (box) pushDevice(box, null);
      });
  }
  // Issue 21: the banner's menu (a <details>, usable without this) closes with Escape and with a click elsewhere.
  function bannerMenu(menu) {
    var toggle = menu.querySelector("summary");
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || !menu.open) return;
      menu.open = false;
      toggle.focus();
    });
    document.addEventListener("click", (e) => {
      if (menu.open && !menu.contains(e.target)) menu.open = false;
    });
  }
  function start() {
    var menu = document.querySelector(".banner details.menu");
    if (menu) bannerMenu(menu);
    var buttons = document.querySelectorAll(".read-aloud");
    for (var i = 0; i < buttons.length; i++) readAloud(buttons[i]);
    serviceWorker();
    // A form that only carries a signed assertion to another service (GAR) goes on by itself; without JavaScript, a button.
    var auto = document.querySelector("form.auto-submit");
    if (auto) auto.submit();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
