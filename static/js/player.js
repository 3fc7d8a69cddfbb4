// The guided player's countdown. The page works without this file (plain Back / Skip / Done /
// Stop forms, and Done asks whether the hold was full); this adds the timer, pause, keyboard
// shortcuts and screen-reader announcements, submits "Done" by itself when the last hold ends
// (with the seconds really held: Done pressed early sends the hold so far), stops the timer when
// "Stop: something feels wrong" is pressed, and opens the safety panel where there is room.
//
// Screen readers: the countdown is a role="timer" region, read when the person asks (or with the
// T key, which says the time left); the polite announcer says only what matters: the start of a
// hold (once for a run of short reps that flow on), halfway through a long hold, its last three
// seconds, rests and "switch sides". Nothing is announced while the page loads.
(function () {
  "use strict";

  const player = document.getElementById("player");
  const timelineData = document.getElementById("timeline");
  if (!player || !timelineData) return;

  const LONG_HOLD = 20; // seconds: holds this long get "Halfway"
  const COUNT_DOWN_FROM = 10; // seconds: holds this long get "3, 2, 1"

  const phases = JSON.parse(timelineData.textContent);
  const timeScale = parseFloat(player.dataset.timeScale) || 1; // < 1 only in tests and demos
  const countdown = document.getElementById("countdown");
  const countdownSeconds = document.getElementById("countdown-seconds");
  const phaseText = document.getElementById("phase");
  const announcer = document.getElementById("announcer");
  const pauseButton = document.getElementById("pause-button");
  const doneForm = document.getElementById("done-form");
  const doneButton = document.getElementById("done-button");
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

  // With the timer there is no need to ask whether the hold was full: one Done button.
  document.getElementById("no-timer-hint").hidden = true;
  document.getElementById("untimed-button").hidden = true;
  doneButton.textContent = doneButton.dataset.timerLabel;
  countdown.hidden = false;
  phaseText.hidden = false;
  pauseButton.hidden = false;
  document.getElementById("shortcuts").hidden = false;

  function announce(text) {
    // Emptied first, so the same words twice in a row ("Rest, 5 seconds") are read twice.
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 30);
  }

  function seconds(n) {
    return n + (n === 1 ? " second" : " seconds");
  }

  // What is said when a phase begins, or null when nothing should be.
  function onPhaseStart(phase, previous) {
    if (phase.kind === "hold") {
      // Short reps flow on one after the other: say the first, not every one.
      if (previous && previous.kind === "hold") return null;
      const label = phase.label === "Hold" ? "Hold" : phase.label + ": hold";
      return label + " for " + seconds(phase.seconds);
    }
    if (phase.kind === "rest") {
      if (/switch sides/i.test(phase.label)) return "Switch sides. Rest " + seconds(phase.seconds);
      return "Rest " + seconds(phase.seconds);
    }
    return null;
  }

  function timeLeftInExercise() {
    let total = Math.max(0, remaining);
    for (let i = index + 1; i < phases.length; i += 1) total += phases[i].seconds;
    return Math.ceil(total);
  }

  function sayTimeLeft() {
    const phase = phases[Math.min(index, phases.length - 1)];
    const left = Math.max(0, Math.ceil(remaining));
    const total = timeLeftInExercise();
    const minutes = Math.floor(total / 60);
    const rest = total % 60;
    const exercise = minutes ? minutes + " min " + rest + " s" : seconds(rest);
    announce(
      seconds(left) + " left: " + phase.label + ". About " + exercise + " left in this exercise" +
        (paused ? ". Paused." : ".")
    );
  }

  function render() {
    const phase = phases[Math.min(index, phases.length - 1)];
    countdownSeconds.textContent = String(Math.max(0, Math.ceil(remaining)));
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
      const phase = phases[index];
      const before = Math.ceil(remaining);
      remaining -= elapsed;
      if (phase.kind === "hold") held += Math.min(elapsed, phase.seconds);
      const after = Math.ceil(remaining);
      if (phase.kind === "hold" && after > 0 && after < before) {
        if (phase.seconds >= LONG_HOLD && before > phase.seconds / 2 && after <= phase.seconds / 2) {
          announce("Halfway");
        } else if (phase.seconds >= COUNT_DOWN_FROM && after <= 3) {
          announce(String(after));
        }
      }
      while (remaining <= 0) {
        index += 1;
        if (index >= phases.length) {
          countdownSeconds.textContent = "0";
          announce("Exercise done.");
          submit(doneForm);
          return;
        }
        remaining += phases[index].seconds;
        const words = onPhaseStart(phases[index], phases[index - 1]);
        if (words) announce(words);
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
    } else if (event.key === "t" || event.key === "T") {
      event.preventDefault();
      sayTimeLeft();
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

  render();
  requestAnimationFrame(tick);
})();
