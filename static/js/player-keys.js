// The guided player's keyboard shortcuts, one set for the online player (player.js) and the
// offline one (offline-player.js): Space pause or resume, T time left, → done, ← back. The hint
// that lists them (progress/_player_shortcuts.html, #shortcuts) shows once they work.
//
// Not while typing in a field, nor with a modifier (the browser's own shortcuts stay its own);
// Space on a button, link or summary keeps its meaning there; ← does nothing while Back is disabled.
(function () {
  "use strict";

  // options: timer (a window.UnknotCountdown), done(), back(), backButton. Returns a function that
  // takes the shortcuts away again (the offline player changes steps without leaving the page).
  window.UnknotPlayerKeys = function (options) {
    function onKey(event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const tag = event.target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
      if (event.key === " " && tag !== "BUTTON" && tag !== "A" && tag !== "SUMMARY") {
        event.preventDefault();
        options.timer.togglePause();
      } else if (event.key === "t" || event.key === "T") {
        event.preventDefault();
        options.timer.sayTimeLeft();
      } else if (event.key === "ArrowRight") {
        event.preventDefault();
        options.done();
      } else if (event.key === "ArrowLeft" && !options.backButton.disabled) {
        event.preventDefault();
        options.back();
      }
    }

    document.addEventListener("keydown", onKey);
    const hint = document.getElementById("shortcuts");
    if (hint) hint.hidden = false;
    return function () {
      document.removeEventListener("keydown", onKey);
    };
  };
})();
