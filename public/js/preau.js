// Préau's small enhancements. Everything works without this file; it only adds what needs a script.
// 51K: read the page aloud where the browser can speak (speechSynthesis), in French.
(function () {
  "use strict";
  function readAloud(button) {
    if (!("speechSynthesis" in window)) return;
    var label = button.querySelector("span");
    button.hidden = false;
    button.addEventListener("click", function () {
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
      utterance.onstart = function () { label.textContent = button.dataset.stop; button.setAttribute("aria-pressed", "true"); };
      utterance.onend = utterance.onerror = function () { label.textContent = button.dataset.start; button.setAttribute("aria-pressed", "false"); };
      synth.speak(utterance);
    });
  }
  function start() {
    var buttons = document.querySelectorAll(".read-aloud");
    for (var i = 0; i < buttons.length; i++) readAloud(buttons[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
