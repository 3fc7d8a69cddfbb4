// The player's countdown, shared by the online player (static/js/player.js) and the offline one
// (static/js/offline-player.js): one exercise's phases (holds and rests, from the server's
// timeline), pause, the time left, and what screen readers hear.
//
// Screen readers: the polite announcer says only what matters: the start of a hold (once for a
// run of short reps that flow on), halfway through a long hold, its last three seconds, rests and
// "switch sides". Nothing is announced while the page loads.
//
//   const timer = window.UnknotCountdown(phases, {
//     seconds, countdown, phase, announcer, pause,  // the page's elements
//     timeScale,                                   // < 1 only in tests and demos
//     onEnd: function (held) { … },                // the last phase ended: whole seconds held
//   });
//   timer.held(); timer.sayTimeLeft(); timer.togglePause(); timer.stop(); timer.announce(text);
(function () {
  "use strict";

  const LONG_HOLD = 20; // seconds: holds this long get "Halfway"
  const COUNT_DOWN_FROM = 10; // seconds: holds this long get "3, 2, 1"

  function seconds(n) {
    return n + (n === 1 ? " second" : " seconds");
  }

  // What is said when a phase begins, or null when nothing should be.
  function onPhaseStart(phase, previous) {
    if (phase.kind === "hold") {
      // Short reps flow on one after the other: say the first, not every one.
      if (previous && previous.kind === "hold") return null;
      return (phase.label === "Hold" ? "Hold" : phase.label + ": hold") + " for " + seconds(phase.seconds);
    }
    if (phase.kind === "rest") {
      if (/switch sides/i.test(phase.label)) return "Switch sides. Rest " + seconds(phase.seconds);
      return "Rest " + seconds(phase.seconds);
    }
    return null;
  }

  window.UnknotCountdown = function (phases, ui) {
    const scale = Number(ui.timeScale) || 1;
    let index = 0;
    let remaining = phases[0].seconds; // nominal seconds left in this phase
    let held = 0; // nominal seconds spent in "hold" phases
    let paused = false;
    let stopped = false;
    let last = performance.now();

    function announce(text) {
      // Emptied first, so the same words twice in a row ("Rest, 5 seconds") are read twice.
      ui.announcer.textContent = "";
      window.setTimeout(function () {
        ui.announcer.textContent = text;
      }, 30);
    }

    function render() {
      const phase = phases[Math.min(index, phases.length - 1)];
      ui.seconds.textContent = String(Math.max(0, Math.ceil(remaining)));
      ui.countdown.dataset.kind = phase.kind;
      ui.phase.textContent = paused ? "Paused · " + phase.label : phase.label;
    }

    function tick(now) {
      if (stopped) return;
      const elapsed = (now - last) / 1000 / scale;
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
            stopped = true;
            ui.seconds.textContent = "0";
            announce("Exercise done.");
            ui.onEnd(Math.round(held));
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

    render();
    requestAnimationFrame(tick);
    return {
      announce: announce,
      held: function () {
        return Math.round(held);
      },
      sayTimeLeft: function () {
        const phase = phases[Math.min(index, phases.length - 1)];
        let total = Math.max(0, remaining);
        for (let i = index + 1; i < phases.length; i += 1) total += phases[i].seconds;
        total = Math.ceil(total);
        const minutes = Math.floor(total / 60);
        const exercise = minutes ? minutes + " min " + (total % 60) + " s" : seconds(total);
        announce(
          seconds(Math.max(0, Math.ceil(remaining))) + " left: " + phase.label + ". About " + exercise +
            " left in this exercise" + (paused ? ". Paused." : ".")
        );
      },
      stop: function () {
        stopped = true;
      },
      togglePause: function () {
        paused = !paused;
        ui.pause.textContent = paused ? "Resume" : "Pause";
        ui.pause.setAttribute("aria-pressed", String(paused));
        announce(paused ? "Paused" : "Resumed");
        render();
      },
    };
  };
})();
