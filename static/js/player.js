// The guided player's countdown. The page works without this file (plain Back / Skip / Done /
// Stop forms); this adds the timer, pause, keyboard shortcuts and screen-reader announcements,
// submits "Done" by itself when the last hold ends, stops the timer when "Stop: something feels
// wrong" is pressed, and opens the safety panel where the screen has room for it.
(function () {
  "use strict";

  const player = document.getElementById("player");
  const timelineData = document.getElementById("timeline");
  if (!player || !timelineData) return;

  const phases = JSON.parse(timelineData.textContent);
  const timeScale = parseFloat(player.dataset.timeScale) || 1; // < 1 only in tests and demos
  const countdown = document.getElementById("countdown");
  const phaseText = document.getElementById("phase");
  const announcer = document.getElementById("announcer");
  const pauseButton = document.getElementById("pause-button");
  const doneForm = document.getElementById("done-form");
  const skipForm = document.getElementById("skip-form");
  const backForm = document.getElementById("back-form");
  const stopForm = document.getElementById("stop-form");
  const safetyPanel = document.getElementById("safety-panel");

  // Wide screens show the safety notes open beside the timer; a phone keeps them one tap away
  // (the <details> is closed in the HTML, so that is also what a page without JavaScript shows).
  if (safetyPanel && window.matchMedia("(min-width: 52rem)").matches) safetyPanel.open = true;

  let index = 0;
  let remaining = phases[0].seconds; // nominal seconds left in this phase
  let held = 0; // nominal seconds spent in "hold" phases
  let paused = false;
  let finished = false;
  let last = performance.now();

  countdown.hidden = false;
  phaseText.hidden = false;
  pauseButton.hidden = false;
  document.getElementById("shortcuts").hidden = false;

  function announce(text) {
    announcer.textContent = text;
  }

  function describe(phase) {
    if (phase.kind === "hold") return phase.label + ": hold for " + phase.seconds + " seconds";
    return phase.label + ", " + phase.seconds + " seconds";
  }

  function render() {
    const phase = phases[Math.min(index, phases.length - 1)];
    countdown.textContent = String(Math.max(0, Math.ceil(remaining)));
    countdown.dataset.kind = phase.kind;
    phaseText.textContent = paused ? "Paused · " + phase.label : phase.label;
  }

  function submit(form) {
    finished = true;
    form.querySelector('input[name="seconds"]').value = String(Math.round(held));
    form.submit();
  }

  function tick(now) {
    if (finished) return;
    const elapsed = ((now - last) / 1000) / timeScale;
    last = now;
    if (!paused) {
      remaining -= elapsed;
      if (phases[index].kind === "hold") held += Math.min(elapsed, phases[index].seconds);
      while (remaining <= 0) {
        index += 1;
        if (index >= phases.length) {
          countdown.textContent = "0";
          announce("Exercise done.");
          submit(doneForm);
          return;
        }
        remaining += phases[index].seconds;
        announce(describe(phases[index]));
      }
    }
    render();
    requestAnimationFrame(tick);
  }

  function togglePause() {
    paused = !paused;
    pauseButton.textContent = paused ? "Resume" : "Pause";
    pauseButton.setAttribute("aria-pressed", String(paused));
    announce(paused ? "Paused" : "Resumed");
    render();
  }

  pauseButton.addEventListener("click", togglePause);
  doneForm.addEventListener("submit", function () {
    finished = true;
    doneForm.querySelector('input[name="seconds"]').value = String(Math.round(held));
  });
  skipForm.addEventListener("submit", function () {
    finished = true;
    skipForm.querySelector('input[name="seconds"]').value = String(Math.round(held));
  });
  // Stop: the countdown stops at once (nothing more is counted, and "Done" can no longer submit
  // itself while the stop page loads); the seconds held so far go with the form.
  stopForm.addEventListener("submit", function () {
    finished = true;
    stopForm.querySelector('input[name="seconds"]').value = String(Math.round(held));
    phaseText.textContent = "Stopped";
    announce("Stopped.");
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    if (event.key === " " && tag !== "BUTTON" && tag !== "A" && tag !== "SUMMARY") {
      event.preventDefault();
      togglePause();
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      submit(doneForm);
    } else if (event.key === "ArrowLeft") {
      const back = backForm.querySelector("button");
      if (!back.disabled) {
        event.preventDefault();
        finished = true;
        backForm.submit();
      }
    }
  });

  announce(describe(phases[0]));
  render();
  requestAnimationFrame(tick);
})();
