import re
from datetime import timedelta

import pytest
from django.urls import reverse

from progress.models import ExerciseLog, SessionLog
from progress.selectors import local_today, unfinished_player_runs
from routines.models import CHANGEOVER_SECONDS, Routine
from tests.factories import ExerciseFactory, RoutineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def routine(person):
    return RoutineFactory(
        owner=person,
        title="Desk break",
        exercises=[
            ExerciseFactory(name="Chin tuck", hold_seconds=5, reps=8, sets=1),
            ExerciseFactory(name="Doorway stretch", hold_seconds=30, reps=2, sets=1, per_side=True),
        ],
    )


def url(name, routine, *args):
    return reverse(
        f"progress:{name}" if name.startswith("player_") else f"routines:{name}", args=[routine.pk, *args]
    )


def start(client, routine, tightness=6):
    return client.post(url("player_start", routine), {"tightness_before": tightness})


def finish_data(client, routine, **overrides):
    token = client.get(url("player_finish", routine)).context["form"].initial["token"]
    data = {"token": token, "tightness_after": 3, "pain": 1, "notes": ""}
    data.update(overrides)
    return data


def test_the_player_asks_for_tightness_before_starting(client, routine):
    response = client.post(url("player_start", routine), {})

    assert response.status_code == 422
    assert "Pick a number from 0 to 10." in response.content.decode()


@pytest.mark.parametrize("value", ["11", "-1", "lots"])
def test_a_rating_outside_0_to_10_is_refused(client, routine, value):
    response = client.post(url("player_start", routine), {"tightness_before": value})

    assert response.status_code == 422
    assert "Pick a number from 0 to 10." in response.content.decode()


def test_a_step_shows_one_exercise_with_its_steps_timer_plan_and_what_is_next(client, routine):
    start(client, routine)

    response = client.get(url("player_step", routine, 1))

    body = response.content.decode()
    assert "Exercise 1 of 2" in body
    assert "<h1>Chin tuck</h1>" in body
    assert "Next up: <strong>Doorway stretch</strong>" in body
    assert 'id="timeline"' in body
    assert "Keyboard:" in body


def test_a_partner_exercise_shows_both_roles_and_how_to_talk(client, person):
    partner = ExerciseFactory(
        kind="partner",
        partner_role="Kneels behind and guides.",
        stretchee_position="Sits tall, arms crossed.",
    )
    routine = RoutineFactory(owner=person, exercises=[partner])
    start(client, routine)

    body = client.get(url("player_step", routine, 1)).content.decode()

    assert "Kneels behind and guides." in body
    assert "Sits tall, arms crossed." in body
    assert "ease off" in body


def test_done_skip_and_back_move_through_the_routine(client, routine):
    start(client, routine)

    assert client.post(url("player_step", routine, 1), {"action": "done"}).url == url(
        "player_step", routine, 2
    )
    assert client.post(url("player_step", routine, 2), {"action": "back"}).url == url(
        "player_step", routine, 1
    )
    assert client.post(url("player_step", routine, 1), {"action": "skip"}).url == url(
        "player_step", routine, 2
    )
    assert client.post(url("player_step", routine, 2), {"action": "done", "seconds": "100"}).url == url(
        "player_finish", routine
    )


def test_saving_the_log_records_the_session_and_one_log_per_exercise(client, routine, person, time_machine):
    time_machine.move_to("2026-11-26 09:00:00+00:00", tick=False)
    start(client, routine, tightness=7)
    time_machine.shift(10)
    client.post(url("player_step", routine, 1), {"action": "skip", "seconds": "3"})
    time_machine.shift(150)
    client.post(url("player_step", routine, 2), {"action": "done", "held": "full"})

    response = client.post(
        url("player_finish", routine), finish_data(client, routine, notes="Felt looser"), follow=True
    )

    session = SessionLog.objects.get()
    assert (session.user, session.routine, session.tightness_before, session.tightness_after) == (
        person,
        routine,
        7,
        3,
    )
    assert session.notes == "Felt looser"
    logs = list(session.exercise_logs.order_by("order"))
    assert [(log.exercise.name, log.skipped, log.seconds, log.reps) for log in logs] == [
        ("Chin tuck", True, 3, 0),
        ("Doorway stretch", False, 4 * 30, 2),  # no timer, "held the full time": both sides
    ]
    assert response.redirect_chain[-1][0] == session.get_absolute_url()
    assert "Session saved" in response.content.decode()


@pytest.mark.parametrize("timer", [True, False], ids=["with the timer", "without JavaScript"])
def test_completing_every_hold_records_the_estimate_less_its_rests_and_changeovers(
    client, routine, timer, time_machine
):
    time_machine.move_to("2026-11-26 09:00:00+00:00", tick=False)
    start(client, routine)
    for number in (1, 2):
        # What player.js sends once every hold has run to the end: the seconds of the hold phases.
        timeline = client.get(url("player_step", routine, number)).context["timeline"]
        held = sum(phase["seconds"] for phase in timeline if phase["kind"] == "hold")
        time_machine.shift(sum(phase["seconds"] for phase in timeline))
        answer = {"seconds": held} if timer else {"held": "full"}
        client.post(url("player_step", routine, number), {"action": "done", **answer})
    client.post(url("player_finish", routine), finish_data(client, routine))

    logged = sum(SessionLog.objects.get().exercise_logs.values_list("seconds", flat=True))
    routine = Routine.objects.with_items().get(pk=routine.pk)
    rests = sum(
        phase.seconds for item in routine.items.all() for phase in item.timeline() if phase.kind == "rest"
    )
    assert logged == 8 * 5 + 2 * 2 * 30  # the chin tucks, then the doorway stretch on both sides
    assert logged == routine.estimated_seconds - rests - CHANGEOVER_SECONDS


def test_saving_twice_records_one_session(client, routine):
    start(client, routine)
    client.post(url("player_step", routine, 1), {"action": "done"})
    client.post(url("player_step", routine, 2), {"action": "done"})
    data = finish_data(client, routine)

    first = client.post(url("player_finish", routine), data)
    second = client.post(url("player_finish", routine), data)

    assert SessionLog.objects.count() == 1
    assert ExerciseLog.objects.count() == 2
    assert first.url == second.url == SessionLog.objects.get().get_absolute_url()


def test_a_red_flag_or_high_pain_shows_stop_and_seek_help_guidance(client, routine):
    start(client, routine)
    client.post(url("player_step", routine, 1), {"action": "done"})

    response = client.post(
        url("player_finish", routine), finish_data(client, routine, pain=8, tingling="on"), follow=True
    )

    body = response.content.decode()
    assert "Stop stretching for now and get advice" in body
    assert "tingling" in body
    assert "pain of 8 out of 10" in body
    session = SessionLog.objects.get()
    assert session.tingling
    assert session.needs_attention


def test_a_calm_session_shows_no_alarm(client, routine):
    start(client, routine)

    response = client.post(url("player_finish", routine), finish_data(client, routine, pain=2), follow=True)

    assert "Stop stretching for now" not in response.content.decode()


def test_leaving_midway_offers_to_resume_or_log_what_was_done(client, routine):
    start(client, routine)
    client.post(url("player_step", routine, 1), {"action": "done"})

    body = client.get(url("player_start", routine)).content.decode()

    assert "You stopped before exercise 2 of 2." in body
    assert url("player_step", routine, 2) in body
    assert "Log what I did" in body


def test_logging_a_partial_run_marks_the_unreached_exercises_skipped(client, routine):
    start(client, routine)
    client.post(url("player_step", routine, 1), {"action": "done", "seconds": "40"})

    finish_page = client.get(url("player_finish", routine)).content.decode()
    client.post(url("player_finish", routine), finish_data(client, routine))

    assert "not reached" in finish_page
    assert list(ExerciseLog.objects.order_by("order").values_list("skipped", flat=True)) == [False, True]


def test_starting_over_discards_the_unfinished_run(client, routine):
    start(client, routine)
    client.post(url("player_step", routine, 1), {"action": "done"})

    client.post(url("player_discard", routine))

    assert "Pick up where you left off" not in client.get(url("player_start", routine)).content.decode()


def test_a_step_without_a_started_run_goes_back_to_the_start(client, routine):
    assert client.get(url("player_step", routine, 1)).url == url("player_start", routine)


def test_a_step_number_past_the_end_is_not_found(client, routine):
    start(client, routine)

    assert client.get(url("player_step", routine, 3)).status_code == 404


def test_an_empty_routine_sends_the_person_to_the_builder(client, person):
    routine = RoutineFactory(owner=person)

    response = client.get(url("player_start", routine))

    assert response.url == url("routine_edit", routine)


def test_a_step_shows_the_exercises_safety_notes_and_common_mistake_in_a_details_panel(client, person):
    exercise = ExerciseFactory(
        name="Seated twist",
        safety_notes="Stop if you feel tingling down the arm.\nKeep the turn small.",
        common_mistakes="Yanking on the chair to turn further.\nLeading with the head.",
    )
    routine = RoutineFactory(owner=person, exercises=[exercise])
    start(client, routine)

    body = client.get(url("player_step", routine, 1)).content.decode()

    panel = re.search(r'<details class="safety-panel"[^>]*>(.*?)</details>', body, re.S)
    assert panel is not None
    # Collapsed in the HTML: one tap away on a phone; player.js opens it on a wide screen.
    assert panel.group(0).startswith('<details class="safety-panel" id="safety-panel">')
    assert "<summary>Safety: stop if…, and the most common mistake</summary>" in panel.group(1)
    assert "<li>Stop if you feel tingling down the arm.</li>" in panel.group(1)
    assert "<li>Keep the turn small.</li>" in panel.group(1)
    assert "Yanking on the chair to turn further." in panel.group(1)
    assert "Leading with the head." not in body  # the most common mistake only


@pytest.mark.parametrize("page", ["a step", "the finish", "the start, with a run under way"])
def test_stop_something_feels_wrong_is_on_every_page_of_a_run(client, routine, page):
    start(client, routine)
    address = {
        "a step": url("player_step", routine, 2),
        "the finish": url("player_finish", routine),
        "the start, with a run under way": url("player_start", routine),
    }[page]

    body = client.get(address).content.decode()

    form = re.search(r'<form method="post" action="([^"]+)" class="stop-form"', body)
    assert form is not None
    assert form.group(1) == url("player_stop", routine)
    assert '<button type="submit" class="stop-button">Stop: something feels wrong</button>' in body


def test_a_partner_exercise_shows_the_pressure_scale_with_ease_off_at_4_to_5(client, person):
    partner = ExerciseFactory(kind="partner", partner_role="Presses gently.", stretchee_position="Kneels.")
    solo = ExerciseFactory()
    routine = RoutineFactory(owner=person, exercises=[partner, solo])
    start(client, routine)

    partner_step = client.get(url("player_step", routine, 1)).content.decode()
    solo_step = client.get(url("player_step", routine, 2)).content.decode()

    assert '<h2 id="pressure-heading">Pressure: ease off at 4–5</h2>' in partner_step
    assert '<section class="pressure-scale" aria-labelledby="pressure-heading">' in partner_step
    levels = re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", partner_step)
    assert [level for level, _ in levels] == ["0", "1–3", "4–5", "6–10"]
    assert "No pressure at all." in levels[0][1]
    assert "Stay at or below this." in levels[2][1]
    assert "your partner lightens the pressure" in levels[3][1]
    assert "pressure-heading" not in solo_step


@pytest.mark.parametrize(
    ("answers", "confirmation"),
    [
        ({"pain": 2}, "Session saved. Well done."),
        ({"pain": 8}, "Session saved."),
        ({"pain": 1, "dizziness": "on"}, "Session saved."),
    ],
    ids=["a calm session", "high pain", "a red flag"],
)
def test_the_confirmation_is_neutral_when_the_session_needs_attention(client, routine, answers, confirmation):
    start(client, routine)

    response = client.post(
        url("player_finish", routine), finish_data(client, routine, **answers), follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [confirmation]
    if confirmation == "Session saved.":
        assert "Well done" not in response.content.decode()
        assert "Stop stretching for now and get advice" in response.content.decode()


def test_saving_a_session_that_makes_pain_rise_suggests_easing_off(client, routine, person, log_session):
    today = local_today(person)
    log_session(person, today - timedelta(days=2), pain=1)
    log_session(person, today - timedelta(days=1), pain=2)
    start(client, routine)

    response = client.post(url("player_finish", routine), finish_data(client, routine, pain=4), follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert messages[0] == "Session saved."
    assert messages[1].startswith("Your pain has been going up. Each of your last few sessions hurt")
    assert "see a GP or physiotherapist" in messages[1]


def test_no_suggestion_after_a_session_that_breaks_the_climb(client, routine, person, log_session):
    today = local_today(person)
    log_session(person, today - timedelta(days=2), pain=1)
    log_session(person, today - timedelta(days=1), pain=4)
    start(client, routine)

    response = client.post(url("player_finish", routine), finish_data(client, routine, pain=3), follow=True)

    assert [str(message) for message in response.context["messages"]] == ["Session saved. Well done."]


# --- What is recorded: one rule, what was really done ----------------------------------------------


def test_without_javascript_the_step_says_to_time_the_holds_and_asks_whether_they_were_full(client, routine):
    start(client, routine)

    body = client.get(url("player_step", routine, 1)).content.decode()

    assert "There is no timer on this page: time each hold yourself" in body
    assert re.search(
        r'<button type="submit" name="held" value="full"[^>]*>Held the full time, next →</button>', body
    )
    assert re.search(r'<button type="submit" name="held" value="untimed"[^>]*>Done, not timed</button>', body)


def test_the_countdown_is_a_timer_a_screen_reader_can_read_and_the_announcer_is_polite_and_empty(
    client, routine
):
    start(client, routine)

    body = client.get(url("player_step", routine, 1)).content.decode()

    countdown = re.search(r'<p class="countdown" id="countdown"[^>]*>', body).group(0)
    assert 'role="timer"' in countdown
    assert "aria-hidden" not in countdown
    assert '<p class="visually-hidden" id="announcer" aria-live="polite" aria-atomic="true"></p>' in body
    assert "assertive" not in body
    assert "<kbd>T</kbd> time left" in body


def test_held_the_full_time_records_the_planned_holds_when_that_much_time_passed(
    client, routine, time_machine
):
    time_machine.move_to("2026-11-26 09:00:00+00:00", tick=False)
    start(client, routine)
    time_machine.shift(60)
    client.post(url("player_step", routine, 1), {"action": "done", "held": "full"})

    assert PlayerRunResult.of(client, routine, 1) == {
        "seconds": 8 * 5,
        "reps": 8,
        "skipped": False,
        "timed": True,
    }


def test_held_the_full_time_records_no_more_than_the_time_really_spent_on_the_step(
    client, routine, time_machine
):
    time_machine.move_to("2026-11-26 09:00:00+00:00", tick=False)
    start(client, routine)
    time_machine.shift(60)
    client.post(url("player_step", routine, 1), {"action": "done", "held": "full"})
    time_machine.shift(4)  # the doorway stretch plans 4 × 30 s, and Done came 4 s later
    client.post(url("player_step", routine, 2), {"action": "done", "held": "full"})

    assert PlayerRunResult.of(client, routine, 2)["seconds"] == 4


def test_done_not_timed_records_the_exercise_done_without_seconds(client, routine, time_machine):
    time_machine.move_to("2026-11-26 09:00:00+00:00", tick=False)
    start(client, routine)
    time_machine.shift(60)
    client.post(url("player_step", routine, 1), {"action": "done", "held": "untimed"})
    client.post(url("player_step", routine, 2), {"action": "skip"})
    finish_page = client.get(url("player_finish", routine)).content.decode()
    response = client.post(url("player_finish", routine), finish_data(client, routine), follow=True)

    assert "Chin tuck:\n        done, not timed" in finish_page
    log = ExerciseLog.objects.get(order=1)
    assert (log.seconds, log.reps, log.skipped, log.timed) == (0, 8, False, False)
    assert "Chin tuck: done, not timed, 8 reps" in response.content.decode()


def test_done_early_with_the_timer_records_the_seconds_it_counted(client, routine, time_machine):
    time_machine.move_to("2026-11-26 09:00:00+00:00", tick=False)
    start(client, routine)
    time_machine.shift(60)
    client.post(url("player_step", routine, 1), {"action": "done", "seconds": "12"})

    assert PlayerRunResult.of(client, routine, 1)["seconds"] == 12


def test_a_timer_count_beyond_the_time_really_passed_is_not_believed(client, routine, time_machine):
    time_machine.move_to("2026-11-26 09:00:00+00:00", tick=False)
    start(client, routine)
    time_machine.shift(3)
    client.post(url("player_step", routine, 1), {"action": "done", "seconds": "40"})

    assert PlayerRunResult.of(client, routine, 1)["seconds"] == 3


def test_minutes_toward_the_weekly_goal_are_the_real_elapsed_time(client, routine, person, time_machine):
    time_machine.move_to("2026-11-26 09:00:00+00:00", tick=False)
    start(client, routine)
    time_machine.shift(4)
    client.post(url("player_step", routine, 1), {"action": "done", "held": "full"})
    time_machine.shift(3 * 60)
    client.post(url("player_step", routine, 2), {"action": "done", "held": "full"})
    client.post(url("player_finish", routine), finish_data(client, routine))

    session = SessionLog.objects.get()
    assert session.duration_seconds == 184
    assert sum(session.exercise_logs.values_list("seconds", flat=True)) == 4 + 120
    assert "<strong>3</strong> of 30 minutes" in client.get("/").content.decode()


class PlayerRunResult:
    @staticmethod
    def of(client, routine, number) -> dict:
        run = client.session[f"player:{routine.pk}"]
        return run["results"][str(run["item_ids"][number - 1])]


# --- Resuming from the routine page and the dashboard -----------------------------------------------


def test_the_routine_page_offers_to_resume_an_unfinished_run(client, routine):
    start(client, routine)
    client.post(url("player_step", routine, 1), {"action": "done", "held": "untimed"})

    body = client.get(url("routine_detail", routine)).content.decode()

    assert "Pick up where you left off?" in body
    assert f'href="{url("player_step", routine, 2)}">Resume at exercise 2</a>' in body
    assert "Log what I did" in body


def test_the_routine_page_offers_nothing_to_resume_without_a_run(client, routine):
    body = client.get(url("routine_detail", routine)).content.decode()

    assert "Pick up where you left off?" not in body
    assert "Resume at exercise" not in body


def test_the_dashboard_offers_to_resume_each_unfinished_run_by_name(client, routine, person):
    other = RoutineFactory(owner=person, title="Evening unwind", exercises=[ExerciseFactory()])
    start(client, routine)
    client.post(url("player_step", routine, 1), {"action": "skip"})
    start(client, other)
    client.post(url("player_stop", other), {"number": 1})

    body = client.get("/").content.decode()

    assert "Pick up “Desk break” where you left off?" in body
    assert f'href="{url("player_step", routine, 2)}">Resume at exercise 2</a>' in body
    assert "You stopped “Evening unwind” because something felt wrong" in body
    assert url("player_stopped", other) in body


def test_the_dashboard_reads_no_routine_when_no_run_was_left(client, person, django_assert_num_queries):
    session = client.session
    with django_assert_num_queries(0):
        assert unfinished_player_runs(session, person) == []
