// The guided player's page. The page works without this file (plain Back / Skip / Done / Stop
// forms, and Done asks whether the hold was full); this adds the timer (static/js/countdown.js),
// pause, the keyboard shortcuts (static/js/player-keys.js; both shared with the offline player)
// and screen-reader announcements, submits "Done" by itself when the last hold ends (with the
// seconds really held: Done pressed early sends the hold so far), stops the timer when "Stop:
// something feels wrong" is pressed, and opens the safety panel where there is room.
//
// Screen readers: the countdown is a role="timer" region, read when the person asks (or with the
// T key, which says the time left); the announcements are countdown.js's.
(function () {
  "use strict";

  const player = document.getElementById("player");
  const timelineData = document.getElementById("timeline");
  if (!player || !timelineData || !window.UnknotCountdown || !window.UnknotPlayerKeys) return;

  const phases = JSON.parse(timelineData.textContent);
  const countdown = document.getElementById("countdown");
  const phaseText = document.getElementById("phase");
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

  // With the timer there is no need to ask whether the hold was full: one Done button.
  document.getElementById("no-timer-hint").hidden = true;
  document.getElementById("untimed-button").hidden = true;
  doneButton.textContent = doneButton.dataset.timerLabel;
  countdown.hidden = false;
  phaseText.hidden = false;
  pauseButton.hidden = false;

  const timer = window.UnknotCountdown(phases, {
    seconds: document.getElementById("countdown-seconds"),
    countdown: countdown,
    phase: phaseText,
    announcer: document.getElementById("announcer"),
    pause: pauseButton,
    timeScale: parseFloat(player.dataset.timeScale),
    onEnd: function () {
      submit(doneForm);
    },
  });

  // A form leaves the page: the countdown stops (nothing more is counted, and "Done" can no
  // longer submit itself while the next page loads) and the seconds held so far go with it.
  function leaving(form) {
    timer.stop();
    form.querySelector('input[name="seconds"]').value = String(timer.held());
  }

  function submit(form) {
    leaving(form);
    form.submit();
  }

  pauseButton.addEventListener("click", timer.togglePause);
  doneForm.addEventListener("submit", function () {
    leaving(doneForm);
  });
  skipForm.addEventListener("submit", function () {
    leaving(skipForm);
  });
  stopForm.addEventListener("submit", function () {
    leaving(stopForm);
    phaseText.textContent = "Stopped";
    timer.announce("Stopped.");
  });

  // Space, T, → and ← (static/js/player-keys.js, shared with the offline player).
  window.UnknotPlayerKeys({
    timer: timer,
    done: function () {
      submit(doneForm);
    },
    back: function () {
      timer.stop();
      backForm.submit();
    },
    backButton: backForm.querySelector("button"),
  });
})();
