// The offline player: with no network, the service worker shows progress/player_offline.html for
// any page of the player (/routines/<id>/play/…), and this file plays the routine saved on the
// device (IndexedDB, through window.UnknotOffline from offline.js): tightness before, each
// exercise with its timer, then the log form, or "Stop: something feels wrong" with its questions
// and guidance. The run is kept on the device after every step (a reload carries on where it
// was); the finished log waits in the outbox until offline.js sends it, keyed by the run's token.
//
// The pages mirror the online player's (templates/progress/player_*.html) and their words; the
// data (doses, notes, red flags, guidance) comes from the server (progress/offline.py).
(function () {
  "use strict";

  const root = document.getElementById("offline-player");
  const offline = window.UnknotOffline;
  if (!root) return;

  const match = window.location.pathname.match(/^\/routines\/(\d+)\/play\//);
  const routineId = match ? Number(match[1]) : null;
  const PACK_FORMAT = 3; // progress.offline.PACK_FORMAT: the data this file can read

  let pack = null;
  let run = null;
  let timer = null; // the step on screen's countdown, if any

  // --- Building the page --------------------------------------------------------------------

  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(function ([name, value]) {
      if (value === false || value === null || value === undefined) return;
      if (name === "text") node.textContent = value;
      else if (name === "html") node.innerHTML = value; // only ever our own rendered templates
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.append(child);
    });
    return node;
  }

  // Markup the server rendered into the pack (only ever our own templates), as nodes.
  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  let keys = null; // takes away the step on screen's keyboard shortcuts, if any

  function screen(title, children) {
    if (timer) timer.stop();
    timer = null;
    if (keys) keys();
    keys = null;
    root.textContent = "";
    // As online, every page but an exercise's is a narrow column (main.narrow).
    const main = document.getElementById("main");
    if (main) main.classList.toggle("narrow", !children.some(function (child) {
      return child && child.id === "player";
    }));
    const heading = el("h1", { text: title, tabindex: "-1" });
    root.append(heading);
    children.forEach(function (child) {
      if (child) root.append(child);
    });
    document.title = title + " · Unknot";
    heading.focus();
  }

  function offlineNote() {
    return el("p", {
      class: "offline-note",
      text: "Offline. We keep your log on this device and send it when you’re back online.",
    });
  }

  function rating(name, legend, required) {
    const options = el("div", { class: "rating-options" });
    for (let n = 0; n <= 10; n += 1) {
      const id = "id_" + name + "_" + n;
      options.append(
        el("label", { class: "rating-option", for: id }, [
          el("input", { type: "radio", name: name, value: String(n), id: id, class: "rating", required: required }),
          el("span", { text: String(n) }),
        ])
      );
    }
    return el("fieldset", { class: "rating-field", "data-field": name }, [el("legend", { text: legend }), options]);
  }

  function redFlagQuestions() {
    return el(
      "fieldset",
      {},
      [el("legend", { text: "Did you notice any of these?" })].concat(
        pack.red_flags.map(function (flag) {
          const id = "id_" + flag.field;
          return el("div", { class: "check" }, [
            el("input", { type: "checkbox", name: flag.field, id: id }),
            document.createTextNode(" "),
            el("label", { for: id, text: flag.label }),
          ]);
        })
      )
    );
  }

  function textArea(name, label) {
    const id = "id_" + name;
    return el("div", { class: "field" }, [
      el("label", { for: id, text: label }),
      el("textarea", { name: name, id: id, rows: "3", maxlength: "2000" }),
    ]);
  }

  function stopButton() {
    const button = el("button", { type: "button", class: "stop-button", text: "Stop: something feels wrong" });
    button.addEventListener("click", stop);
    return el("div", { class: "stop-form" }, [button]);
  }

  // A required rating left blank: said beside it and at the top, as the server's forms do.
  function checkRequired(form, names) {
    form.querySelectorAll(".field-error, .error-summary").forEach(function (node) {
      node.remove();
    });
    const missing = names.filter(function (name) {
      return !form.querySelector('input[name="' + name + '"]:checked');
    });
    missing.forEach(function (name) {
      const fieldset = form.querySelector('[data-field="' + name + '"]');
      fieldset.classList.add("has-error");
      const error = el("p", { class: "field-error", id: "id_" + name + "_error", text: "Pick a number from 0 to 10." });
      fieldset.append(error);
      fieldset.querySelectorAll("input").forEach(function (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", error.id);
      });
    });
    if (missing.length) {
      const summary = el("div", { class: "error-summary", role: "alert", tabindex: "-1" }, [
        el("p", { text: "Please answer the question" + (missing.length > 1 ? "s" : "") + " marked below." }),
      ]);
      form.prepend(summary);
      summary.focus();
    }
    return missing.length === 0;
  }

  function checked(form, name) {
    const input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? Number(input.value) : null;
  }

  // --- The run, kept on the device --------------------------------------------------------

  function save() {
    return offline.put("runs", run);
  }

  function item(number) {
    return pack.items[number - 1];
  }

  function start() {
    const form = el("form", { novalidate: true }, [
      rating("tightness_before", "How tight does your upper back feel right now? (0 = not at all, 10 = very)", true),
      el("button", { type: "submit", class: "big", text: "Start" }),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!checkRequired(form, ["tightness_before"])) return;
      run = {
        routine: routineId,
        token: crypto.randomUUID(),
        startedAt: new Date().toISOString(),
        tightnessBefore: checked(form, "tightness_before"),
        number: 1,
        results: {},
        stopped: false,
        finishedAt: null,
      };
      save().then(step);
    });
    const count = pack.items.length;
    screen(pack.routine.title, [
      offlineNote(),
      el("p", {
        text:
          count + " exercise" + (count === 1 ? "" : "s") + ". The timer counts each hold for you; you can pause, " +
          "go back or skip at any time. Stop straight away if anything hurts.",
      }),
      form,
    ]);
  }

  // Never more seconds held than the dose (the server holds to the same rule).
  function record(number, result) {
    const current = item(number);
    result.seconds = Math.min(result.seconds, current.dose_seconds);
    run.results[String(current.id)] = result;
  }

  function next(number) {
    run.number = number;
    save().then(function () {
      if (number > pack.items.length) finish();
      else step();
    });
  }

  // --- One exercise ---------------------------------------------------------------------------

  function step() {
    const number = run.number;
    const current = item(number);
    const total = pack.items.length;
    const following = number < total ? item(number + 1) : null;
    const countdownSeconds = el("span");
    const countdown = el("p", { class: "countdown", id: "countdown", role: "timer", "aria-atomic": "true" }, [
      countdownSeconds,
      el("span", { class: "visually-hidden", text: " seconds left" }),
    ]);
    const phase = el("p", { class: "phase", id: "phase" });
    const announcer = el("p", { class: "visually-hidden", id: "announcer", "aria-live": "polite", "aria-atomic": "true" });
    const back = el("button", { type: "button", class: "secondary", text: "← Back", disabled: number === 1 });
    const pause = el("button", { type: "button", class: "secondary", "aria-pressed": "false", text: "Pause" });
    const skip = el("button", { type: "button", class: "secondary", text: "Skip" });
    const done = el("button", { type: "button", id: "done-button", text: "Done, " + (following ? "next" : "finish") + " →" });
    const article = el("article", { class: "player", id: "player" }, [
      el("p", { class: "player-progress", text: "Exercise " + number + " of " + total + " · " + pack.routine.title }),
      el("progress", { max: String(total), value: String(number - 1), "aria-hidden": "true" }),
      el("div", { html: current.notes_html }),
      el("section", { class: "timer-panel", "aria-label": "Timer" }, [
        el("p", { class: "dose", text: current.dose }),
        countdown,
        phase,
        announcer,
        el("div", { class: "player-controls" }, [back, pause, skip, done]),
      ]),
      el("div", { class: "player-stop" }, [stopButton()]),
      // The safety panel and the steps come rendered by the server, as the step page's own.
      fragment(current.safety_html),
      fragment(current.body_html),
      following ? el("p", { class: "next-up" }, [document.createTextNode("Next up: "), el("strong", { text: following.name })]) : null,
    ]);
    screen(current.name, [offlineNote(), article]);
    document.title = current.name + " (" + number + " of " + total + ") · Unknot";
    // As player.js does: wide screens show the safety notes open; a phone keeps them one tap away.
    if (window.matchMedia("(min-width: 52rem)").matches) document.getElementById("safety-panel").open = true;

    timer = window.UnknotCountdown(current.timeline, {
      timeScale: pack.time_scale,
      seconds: countdownSeconds,
      countdown: countdown,
      phase: phase,
      announcer: announcer,
      pause: pause,
      onEnd: function (held) {
        record(number, { seconds: held, skipped: false });
        next(number + 1);
      },
    });
    back.addEventListener("click", function () {
      next(Math.max(1, number - 1));
    });
    pause.addEventListener("click", timer.togglePause);
    skip.addEventListener("click", function () {
      record(number, { seconds: timer.held(), skipped: true });
      next(number + 1);
    });
    done.addEventListener("click", function () {
      record(number, { seconds: timer.held(), skipped: false });
      next(number + 1);
    });
    // The online player's shortcuts and their hint (static/js/player-keys.js).
    const hint = document.getElementById("player-shortcuts").content.cloneNode(true);
    article.querySelector(".timer-panel").append(hint);
    keys = window.UnknotPlayerKeys({
      timer: timer,
      done: function () {
        done.click();
      },
      back: function () {
        back.click();
      },
      backButton: back,
    });
  }

  // --- The log ----------------------------------------------------------------------------------

  // What was done, as the online log form lists it.
  function runSummary(results) {
    return el(
      "ul",
      { class: "run-summary" },
      pack.items.map(function (current) {
        const result = results[String(current.id)];
        let words = "not reached";
        if (result && result.skipped) words = "skipped";
        else if (result) words = "done (" + result.seconds + " s held)";
        return el("li", { text: current.name + ": " + words });
      })
    );
  }

  function finish() {
    const summary = runSummary(run.results);
    const done = pack.items.filter(function (current) {
      const result = run.results[String(current.id)];
      return result && !result.skipped;
    });
    const feelings = done.length
      ? el(
          "fieldset",
          { class: "feelings" },
          [
            el("legend", {}, [document.createTextNode("How did that feel? "), el("span", { class: "muted", text: "(optional)" })]),
            el("p", {
              class: "helptext",
              text: "For each exercise: too easy, just right or too hard. In a programme, this sets how the exercise moves on.",
            }),
          ].concat(
            done.map(function (current) {
              return el("fieldset", { class: "feeling-field" }, [
                el("legend", { text: current.name }),
                el(
                  "div",
                  { class: "feeling-options" },
                  pack.feelings.map(function (feeling) {
                    const id = "id_feeling_" + current.id + "_" + feeling.value;
                    return el("label", { class: "rating-option", for: id }, [
                      el("input", { type: "radio", name: "feeling_" + current.id, value: feeling.value, id: id }),
                      el("span", { text: feeling.label }),
                    ]);
                  })
                ),
              ]);
            })
          )
        )
      : null;
    const form = el("form", { novalidate: true }, [
      rating("tightness_after", "How tight does your upper back feel now?", true),
      rating("pain", "Any pain? (0 = none, 10 = the worst you can imagine)", true),
      redFlagQuestions(),
      feelings,
      textArea("notes", "Notes (optional)"),
      el("button", { type: "submit", class: "big", text: "Save session" }),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!checkRequired(form, ["tightness_after", "pain"])) return;
      const answers = answersOf(form);
      answers.tightness_after = checked(form, "tightness_after");
      answers.notes = form.elements.notes.value;
      done.forEach(function (current) {
        const feeling = form.querySelector('input[name="feeling_' + current.id + '"]:checked');
        if (feeling) answers["feeling_" + current.id] = feeling.value;
      });
      keep(answers);
    });
    screen("How did that go?", [offlineNote(), stopButton(), summary, form]);
  }

  function answersOf(form) {
    const answers = { pain: checked(form, "pain") };
    pack.red_flags.forEach(function (flag) {
      answers[flag.field] = form.elements[flag.field].checked;
    });
    return answers;
  }

  // "Stop: something feels wrong": the run ends now; the exercise under way is logged as skipped
  // with the seconds held so far (a second stop keeps the first one's time).
  function stop() {
    if (!run.stopped) {
      const current = run.number <= pack.items.length ? item(run.number) : null;
      if (current && !run.results[String(current.id)]) {
        record(run.number, { seconds: timer ? timer.held() : 0, skipped: true });
      }
      run.stopped = true;
      run.finishedAt = new Date().toISOString();
    }
    if (timer) timer.stop();
    save().then(stopped);
  }

  function stopped() {
    const form = el("form", { novalidate: true }, [
      redFlagQuestions(),
      rating("pain", "Any pain right now? (0 = none, 10 = the worst you can imagine)", false),
      textArea("stop_reason", "Anything else about what happened? (optional)"),
      el("button", { type: "submit", class: "big", text: "Save and see what to do" }),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const answers = answersOf(form);
      answers.stop_reason = form.elements.stop_reason.value;
      keep(answers);
    });
    screen("You stopped. What did you notice?", [
      // The emergency advice first, then a calm word: the stop page's own (progress/_stopped_advice.html).
      fragment(pack.stopped_advice_html),
      form,
      el("p", { class: "muted", text: "We save the exercises you did; the ones you didn’t reach are marked as skipped." }),
    ]);
  }

  // The log goes to the outbox (offline.js sends it when it can), the run is over.
  function keep(answers) {
    const finishedAt = run.finishedAt || new Date().toISOString();
    const results = {};
    Object.entries(run.results).forEach(function ([id, result]) {
      results[id] = result;
    });
    const log = {
      token: run.token,
      routine: run.routine,
      title: pack.routine.title,
      saveUrl: pack.routine.save_url,
      savedAt: Date.now(),
      body: {
        token: run.token,
        started_at: run.startedAt,
        finished_at: finishedAt,
        stopped: run.stopped,
        tightness_before: run.tightnessBefore,
        item_ids: pack.items.map(function (current) {
          return current.id;
        }),
        results: results,
        answers: answers,
      },
    };
    const wasStopped = run.stopped;
    offline
      .queue(log)
      .then(function () {
        return offline.remove("runs", run.routine);
      })
      .then(function () {
        saved(answers, wasStopped, results);
        offline.sync();
      });
  }

  // "Stop stretching for now and get advice" for a red flag or high pain, as the session page
  // will show it: the pack has it rendered with every guidance and the whole safety net
  // (progress.offline); what does not fit the answers is taken out, as progress.models'
  // guidance_for and safety_net leave it out, and what was reported is written in, in
  // red_flags_reported's words. Null when nothing reported needs it.
  function seekHelp(answers, wasStopped) {
    const reported = pack.red_flags.filter(function (flag) {
      return answers[flag.field];
    });
    const highPain = answers.pain !== null && answers.pain >= pack.high_pain.level;
    if (!reported.length && !highPain) return null;
    const ranks = new Set(
      reported.map(function (flag) {
        return String(flag.guidance);
      })
    );
    const parts = reported.map(function (flag) {
      return flag.label;
    });
    if (highPain) {
      ranks.add(String(pack.high_pain.guidance));
      parts.push(pack.high_pain.reported[answers.pain]);
    }
    if (parts.length > 1) parts.splice(-2, 2, parts[parts.length - 2] + " and " + parts[parts.length - 1]);

    const callout = fragment(pack.seek_help_html[wasStopped ? "stopped" : "finished"]);
    callout.querySelector("[data-reported]").replaceWith(parts.join(", ").toLowerCase());
    callout.querySelectorAll("[data-guidance]").forEach(function (guidance) {
      if (!ranks.has(guidance.dataset.guidance)) guidance.remove();
    });
    callout.querySelectorAll("[data-flag]").forEach(function (flag) {
      if (answers[flag.dataset.flag]) flag.remove();
    });
    const net = callout.querySelector(".safety-net");
    if (net && !net.querySelector("li")) net.remove();
    return callout;
  }

  function saved(answers, wasStopped, results) {
    const callout = seekHelp(answers, wasStopped);
    screen(wasStopped ? "Saved on this device" : "Session saved on this device", [
      el("p", { text: "Your log is kept on this device and sent as soon as you’re back online." }),
      el("h2", { text: pack.routine.title }),
      runSummary(results),
      callout || (wasStopped ? el("div", { html: pack.stopped_early_html }) : null),
      el("p", {}, [el("a", { href: root.dataset.offlineUrl, text: "Back to the routines saved on this device" })]),
    ]);
  }

  // --- Start --------------------------------------------------------------------------------

  function missing(words) {
    screen("Not saved on this device", [
      el("p", { text: words }),
      el("p", {}, [el("a", { href: root.dataset.offlineUrl, text: "The routines saved on this device" })]),
    ]);
  }

  if (!offline || !offline.account()) {
    missing("Log in and open a routine while you’re online to keep it on this device.");
    return;
  }
  if (routineId === null) {
    window.location.replace(root.dataset.offlineUrl);
    return;
  }
  offline
    .get("routines", routineId)
    .then(function (record) {
      if (record && record.pack.format !== PACK_FORMAT) {
        missing("This routine was saved by an older version of Unknot. Open it once while you’re online.");
        return;
      }
      if (!record) {
        missing(
          "This routine isn’t saved on this device. Next time you’re online, open it and press “Keep available offline”."
        );
        return;
      }
      pack = record.pack;
      return offline.get("runs", routineId).then(function (saved) {
        run = saved || null;
        if (!run) start();
        else if (run.stopped) stopped();
        else if (run.number > pack.items.length) finish();
        else step();
      });
    })
    .catch(function () {
      missing("We couldn’t open what this device keeps.");
    });
})();
