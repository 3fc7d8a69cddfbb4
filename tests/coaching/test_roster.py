"""The roster: adherence and flags from known schedules and sessions, in each client's time zone;
sorting and filtering; and a fixed number of queries whatever the number of clients."""

from datetime import UTC, date, datetime, time, timedelta
from uuid import uuid4

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import user_profile_update
from coaching.forms import roster_filter_values
from coaching.models import Assignment, SessionComment, TrainerClient
from coaching.roster import Flag, _roster_rows, roster, roster_figures, roster_figures_in_python
from coaching.services import comments_mark_read, link_sharing_update, session_comment_add
from progress.models import Enrolment, SessionLog, Track
from progress.rollups import rollups_rebuild
from progress.services import session_log_delete
from routines.models import Routine
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    TrainerFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db

# Thursday 26 November 2026, noon in London; already Friday the 27th in Auckland (UTC+13),
# still Thursday morning in Los Angeles.
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
MON, WED, FRI = 0, 2, 4


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def client_of(trainer, name: str, zone: str, **link_fields) -> TrainerClient:
    person = UserFactory(display_name=name, time_zone=zone)
    accepted = datetime(2026, 10, 1, tzinfo=UTC)
    return TrainerClientFactory(trainer=trainer, client=person, accepted_at=accepted, **link_fields)


def three_days_a_week(link) -> Assignment:
    return assignment_create(link, weekdays=[MON, WED, FRI], starts_on=date(2026, 10, 1))


def row_of(rows, name):
    return next(row for row in rows if row.name == name)


def test_adherence_counts_due_days_so_far_and_today_once_done(log_session):
    trainer = TrainerFactory()
    london = client_of(trainer, "Lou", "Europe/London")
    auckland = client_of(trainer, "Aroha", "Pacific/Auckland")
    lou_plan, aroha_plan = three_days_a_week(london), three_days_a_week(auckland)
    # Lou: Monday only (Wednesday missed); today, Thursday, is not a plan day.
    log_session(london.client, date(2026, 11, 23), routine=lou_plan.routine)
    # Aroha: Monday, Wednesday, and Friday (their today) already done, twice on Monday.
    for day in (date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 25), date(2026, 11, 27)):
        log_session(auckland.client, day, at=time(0, 30), routine=aroha_plan.routine)

    rows = roster(trainer)

    lou, aroha = row_of(rows, "Lou"), row_of(rows, "Aroha")
    assert (lou.done, lou.scheduled, lou.adherence_percent) == (1, 2, 50)
    assert (aroha.done, aroha.scheduled, aroha.adherence_percent) == (3, 3, 100)
    assert lou.flags == aroha.flags == []
    assert (lou.last_session, aroha.last_session) == (date(2026, 11, 23), date(2026, 11, 27))


def test_today_not_done_yet_does_not_count_against_a_client(log_session):
    trainer = TrainerFactory()
    auckland = client_of(trainer, "Aroha", "Pacific/Auckland")
    plan = three_days_a_week(auckland)
    log_session(auckland.client, date(2026, 11, 23), routine=plan.routine)
    log_session(auckland.client, date(2026, 11, 25), routine=plan.routine)

    [row] = roster(trainer)

    assert (row.done, row.scheduled) == (2, 2)  # Friday the 27th is their today, and not over


def test_flags_no_session_for_seven_days_low_adherence_and_recent_pain(log_session):
    trainer = TrainerFactory()
    lapsing = client_of(trainer, "Lee", "America/Los_Angeles")
    plan = three_days_a_week(lapsing)
    # Last session 10 days ago (their Thursday is the 26th), with pain 8: inside 14 days.
    log_session(lapsing.client, date(2026, 11, 16), routine=plan.routine, pain=8)

    [row] = roster(trainer)

    assert row.flags == [Flag.INACTIVE, Flag.LOW_ADHERENCE, Flag.PAIN]
    assert (row.done, row.scheduled) == (0, 2)
    assert row.flag_labels == ["No session for 7 days", "Under 50% this week", "Pain 7+ or a red flag"]


def test_old_alerts_and_alerts_not_shared_raise_no_flag(log_session):
    trainer = TrainerFactory()
    old = client_of(trainer, "Old", "Europe/London")
    private = client_of(trainer, "Private", "Europe/London", share_red_flags=False)
    for link, day in ((old, date(2026, 11, 11)), (private, date(2026, 11, 25))):
        plan = assignment_create(link, weekdays=[3], starts_on=date(2026, 10, 1))  # Thursdays
        log_session(link.client, day, routine=plan.routine, numbness=True)
        log_session(link.client, date(2026, 11, 25), routine=plan.routine)

    rows = roster(trainer)

    assert [row.flags for row in rows] == [[], []]


def test_a_client_with_nothing_to_do_yet_is_not_flagged_until_a_week_passes(time_machine):
    trainer = TrainerFactory()
    link = TrainerClientFactory(trainer=trainer, accepted_at=NOW - timedelta(days=3))

    [fresh] = roster(trainer)
    time_machine.move_to(NOW + timedelta(days=5))
    [week_later] = roster(trainer)

    assert (fresh.flags, fresh.scheduled, fresh.adherence_percent) == ([], 0, None)
    assert week_later.flags == [Flag.INACTIVE]
    assert link.client.email == week_later.email


def test_the_tightness_trend_compares_two_fortnights_and_needs_ratings_shared(log_session):
    trainer = TrainerFactory()
    sharing = client_of(trainer, "Sharing", "Europe/London")
    private = client_of(trainer, "Private", "Europe/London", share_ratings=False)
    for link in (sharing, private):
        plan = assignment_create(link, starts_on=date(2026, 10, 1))
        log_session(link.client, date(2026, 11, 2), before=7, routine=plan.routine)  # 24 days ago
        log_session(link.client, date(2026, 11, 20), before=5, routine=plan.routine)
        log_session(link.client, date(2026, 11, 24), before=4, routine=plan.routine)

    rows = roster(trainer)

    shared = row_of(rows, "Sharing")
    assert (shared.tightness_recent, shared.tightness_previous, shared.tightness_change) == (4.5, 7.0, -2.5)
    assert row_of(rows, "Private").tightness_recent is None


def test_each_row_shows_its_last_session_and_which_way_tightness_moved(client, log_session):
    trainer = TrainerFactory()
    for name, earlier, later in (("Easing", 7, 4), ("Tighter", 3, 5), ("Steady", 5, 5)):
        link = client_of(trainer, name, "Europe/London")
        plan = assignment_create(link, starts_on=date(2026, 10, 1))
        log_session(link.client, date(2026, 11, 2), before=earlier, routine=plan.routine)
        log_session(link.client, date(2026, 11, 24), before=later, routine=plan.routine)
    client.force_login(trainer)

    page = client.get(reverse("coaching:roster")).content.decode()

    for link in TrainerClient.objects.filter(trainer=trainer):
        assert f'<a href="{reverse("coaching:client_detail", args=[link.pk])}">{link.client_name}</a>' in page
    assert page.count("Tue 24 Nov") == 3
    assert '<span class="trend-down">↓ 3.0 easing</span>' in page
    assert '<span class="trend-up">↑ 2.0 tighter</span>' in page
    assert '<span class="muted">steady</span>' in page


def test_sessions_outside_the_trainers_assignments_are_not_counted(log_session):
    trainer = TrainerFactory()
    link = client_of(trainer, "Sam", "Europe/London")
    three_days_a_week(link)
    own = RoutineFactory(owner=link.client, exercises=[ExerciseFactory()])
    log_session(link.client, date(2026, 11, 25), routine=own, pain=9)

    [row] = roster(trainer)

    assert (row.done, row.last_session) == (0, None)
    assert Flag.PAIN not in row.flags


def rated_sessions(log_session, link, pains, *, last_day=date(2026, 11, 25)):
    """Sessions of a new assignment on consecutive days up to `last_day`, with these pain ratings."""
    plan = three_days_a_week(link)
    first = last_day - timedelta(days=len(pains) - 1)
    for offset, pain in enumerate(pains):
        log_session(link.client, first + timedelta(days=offset), routine=plan.routine, pain=pain)


def test_pain_rising_is_flagged_from_the_shared_sessions_when_ratings_are_shared(log_session):
    trainer = TrainerFactory()
    rising = client_of(trainer, "Rising", "Europe/London")
    private = client_of(trainer, "Private", "Europe/London", share_ratings=False)
    level = client_of(trainer, "Level", "Europe/London")
    for link, pains in ((rising, [1, 2, 4]), (private, [1, 2, 4]), (level, [2, 4, 4])):
        rated_sessions(log_session, link, pains)

    rows = roster(trainer)

    assert Flag.PAIN_RISING in row_of(rows, "Rising").flags
    assert "Pain rising" in row_of(rows, "Rising").flag_labels
    assert Flag.PAIN_RISING not in row_of(rows, "Private").flags  # ratings not shared
    assert Flag.PAIN_RISING not in row_of(rows, "Level").flags  # a near miss


def test_pain_rising_needs_the_last_rating_at_the_threshold_whatever_came_before(log_session):
    trainer = TrainerFactory()
    cases = {"Under": [1, 2, 3], "Earlier high": [8, 0, 0, 1, 2, 3], "Just": [0, 2, 3, 4], "Same day": [2, 3]}
    for name, pains in cases.items():
        rated_sessions(log_session, client_of(trainer, name, "Europe/London"), pains)
    same_day = row_of(roster(trainer), "Same day")
    plan = Assignment.objects.get(link_id=same_day.link_id)
    client = TrainerClient.objects.get(pk=same_day.link_id).client
    log_session(client, date(2026, 11, 25), routine=plan.routine, pain=5, at=time(18))

    rows = roster(trainer)

    assert [name for name in cases if Flag.PAIN_RISING in row_of(rows, name).flags] == ["Just", "Same day"]
    assert roster_figures_in_python(trainer) == roster_figures(trainer)


def test_pain_rising_counts_only_the_sessions_the_trainer_sees(log_session):
    trainer = TrainerFactory()
    link = client_of(trainer, "Sam", "Europe/London")
    plan = three_days_a_week(link)
    own = RoutineFactory(owner=link.client, exercises=[ExerciseFactory()])
    log_session(link.client, date(2026, 11, 23), routine=plan.routine, pain=1)
    log_session(link.client, date(2026, 11, 24), routine=own, pain=3)  # their own routine
    log_session(link.client, date(2026, 11, 25), routine=plan.routine, pain=5)

    [row] = roster(trainer)

    assert Flag.PAIN_RISING not in row.flags


def test_the_roster_page_shows_pain_rising_and_filters_by_it(client, log_session):
    trainer = TrainerFactory()
    rising = client_of(trainer, "Rosa Reyes", "Europe/London")
    calm = client_of(trainer, "Cal Carter", "Europe/London")
    rated_sessions(log_session, rising, [2, 3, 6])
    rated_sessions(log_session, calm, [1, 1, 1])
    client.force_login(trainer)

    everyone = client.get(reverse("coaching:roster")).content.decode()
    filtered = client.get(reverse("coaching:roster"), {"flag": Flag.PAIN_RISING}).content.decode()

    assert '<span class="flag-tag">⚠ Pain rising</span>' in everyone
    assert '<option value="pain_rising">Pain rising</option>' in everyone
    assert "Rosa Reyes" in filtered
    assert "Cal Carter" not in filtered


# --- The page ---------------------------------------------------------------------------------


def test_the_roster_page_lists_clients_with_their_flags_and_filters_by_flag(client, log_session):
    trainer = TrainerFactory()
    keeping_up = client_of(trainer, "Kim", "Europe/London")
    lapsing = client_of(trainer, "Lee", "Europe/London")
    plan = three_days_a_week(keeping_up)
    for day in (23, 25):
        log_session(keeping_up.client, date(2026, 11, day), routine=plan.routine)
    three_days_a_week(lapsing)
    client.force_login(trainer)

    everyone = client.get(reverse("coaching:roster")).content.decode()
    flagged = client.get(reverse("coaching:roster"), {"flag": Flag.INACTIVE}).content.decode()
    nonsense = client.get(reverse("coaching:roster"), {"flag": "<script>", "sort": "nope"})

    assert "Kim" in everyone
    assert "Lee" in everyone
    assert "2 / 2" in everyone
    assert "No session for 7 days" in everyone
    assert "Lee" in flagged
    assert "Kim" not in flagged
    assert nonsense.status_code == 200
    assert "Kim" in nonsense.content.decode()


def test_sorting_by_flags_puts_the_clients_who_need_attention_first(client, log_session):
    trainer = TrainerFactory()
    # Full names: a two-letter one can turn up inside the page's random CSRF token.
    for name in ("Ada Adams", "Bo Brown", "Cy Cole"):
        three_days_a_week(client_of(trainer, name, "Europe/London"))
    fine = Assignment.objects.get(link__client__display_name="Ada Adams")
    for day in (23, 25):
        log_session(fine.link.client, date(2026, 11, day), routine=fine.routine)
    hurt = Assignment.objects.get(link__client__display_name="Cy Cole")
    log_session(hurt.link.client, date(2026, 11, 25), routine=hurt.routine, pain=8)
    client.force_login(trainer)

    by_flags = client.get(reverse("coaching:roster"), {"sort": "flags"}).content.decode()
    by_name = client.get(reverse("coaching:roster"), {"sort": "name"}).content.decode()

    assert (
        by_flags.index("Bo Brown") < by_flags.index("Cy Cole") < by_flags.index("Ada Adams")
    )  # 3, 2 and 0 flags
    assert by_name.index("Ada Adams") < by_name.index("Bo Brown") < by_name.index("Cy Cole")


def test_a_new_session_shows_on_the_roster_at_once(client, log_session):
    trainer = TrainerFactory()
    link = client_of(trainer, "Kim", "Europe/London")
    plan = three_days_a_week(link)
    client.force_login(trainer)
    assert "None yet" in client.get(reverse("coaching:roster")).content.decode()

    log_session(link.client, date(2026, 11, 25), routine=plan.routine)

    assert "Wed 25 Nov" in client.get(reverse("coaching:roster")).content.decode()


def test_someone_who_does_not_coach_is_sent_to_settings_to_turn_it_on(client):
    client.force_login(UserFactory())

    response = client.get(reverse("coaching:roster"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:settings")
    assert "tick “I coach clients”" in response.content.decode()


def test_a_trainer_without_clients_is_shown_how_to_start(client):
    client.force_login(TrainerFactory())

    page = client.get(reverse("coaching:roster")).content.decode()

    assert "No clients yet" in page
    assert reverse("coaching:invitation_list") in page


# --- Queries ----------------------------------------------------------------------------------


def clients_with_sessions(trainer, count: int) -> None:
    """`count` clients, each with an assignment and two weeks of sessions, made in bulk."""
    exercise = ExerciseFactory()
    people = UserFactory.create_batch(count, time_zone="Europe/London")
    links = TrainerClient.objects.bulk_create(
        TrainerClient(
            trainer=trainer,
            client=person,
            email=person.email,
            status=TrainerClient.Status.ACTIVE,
            invite_nonce="x",
            invited_at=NOW,
            accepted_at=NOW - timedelta(days=60),
        )
        for person in people
    )
    copies = Routine.objects.bulk_create(Routine(owner=person, title="Plan") for person in people)
    assignments = Assignment.objects.bulk_create(
        Assignment(
            link=link, routine=copy, weekdays=[MON, WED, FRI], starts_on=date(2026, 10, 1), synced_at=NOW
        )
        for link, copy in zip(links, copies, strict=True)
    )
    sessions = []
    for assignment, person in zip(assignments, people, strict=True):
        for days_ago in range(14):
            started = NOW - timedelta(days=days_ago, hours=3)
            sessions.append(
                SessionLog(
                    user=person,
                    routine_id=assignment.routine_id,
                    assignment=assignment,
                    started_at=started,
                    finished_at=started + timedelta(minutes=10),
                    local_date=started.date(),
                    tightness_before=5,
                    pain=days_ago % 9,
                )
            )
    SessionLog.objects.bulk_create(sessions)
    rollups_rebuild(user_ids=[person.pk for person in people])  # as bulk writes must
    assert exercise.pk


def test_the_roster_takes_the_same_queries_for_3_and_300_clients(client):
    counts = []
    for size in (3, 300):
        trainer = TrainerFactory()
        clients_with_sessions(trainer, size)
        client.force_login(trainer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("coaching:roster"))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_only_the_rows_of_the_page_are_built_whatever_the_number_of_clients(client):
    trainer = TrainerFactory()
    clients_with_sessions(trainer, 120)  # three pages
    client.force_login(trainer)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("coaching:roster"), {"sort": "name", "page": 2})

    assert response.status_code == 200
    assert "Page 2 of 3" in response.content.decode()
    # The clients are read (names, screening, programme, tightness, comments) for the page's 50
    # rows only, in one statement given those 50 links and their days.
    reads = [query["sql"] for query in queries if "FROM unnest(" in query["sql"]]
    assert len(reads) == 1
    assert reads[0].split("FROM unnest('{")[1].split("}")[0].count(",") == 49
    links = sorted(  # by name, and among the same names, the newest link first
        TrainerClient.objects.filter(trainer=trainer).order_by("-created_at", "-pk"),
        key=lambda link: link.client_name.lower(),
    )
    page = response.content.decode()
    shown = [link for link in links if reverse("coaching:client_detail", args=[link.pk]) + '"' in page]
    assert shown == links[50:100]


def test_the_figures_statement_is_never_compiled_by_jit_however_many_clients(log_session):
    """Past about 2,000 clients its estimate crosses jit_above_cost: compiling took 10 times as
    long as running it."""
    trainer = TrainerFactory()
    three_days_a_week(client_of(trainer, "Kim", "Europe/London"))

    with CaptureQueriesContext(connection) as queries:
        roster_figures(trainer)

    [statement] = [query["sql"] for query in queries]
    assert statement.startswith("SET LOCAL jit = off;\nWITH links AS MATERIALIZED")


PYTHON_SORTS = {  # the roster's sorts, as RosterRow's figures sort in Python
    "flags": lambda row: (-len(row.flags), row.name.lower()),
    "adherence": lambda row: (row.adherence_percent is None, row.adherence_percent or 0, row.name.lower()),
    "last_session": lambda row: (row.last_session or date.min, row.name.lower()),
    "name": lambda row: row.name.lower(),
}


@pytest.mark.parametrize("sort", PYTHON_SORTS)
def test_the_sorts_in_sql_order_the_rows_as_their_figures_sort_in_python(sort, log_session):
    trainer = TrainerFactory()
    days = [
        date(2026, 11, 23),
        date(2026, 11, 24),
        date(2026, 11, 25),
        date(2026, 11, 20),
        date(2026, 11, 12),
    ]
    names = ["adam", "Bea", "Émile", "zed", "Ann", "bea", "Carl", "Dora", "", "Eve", "Íris", "ann"]
    zones = ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"]
    for index, name in enumerate(names):
        link = client_of(trainer, name, zones[index % 3])
        plan = assignment_create(link, weekdays=[index % 7, (index + 2) % 7, 4], starts_on=date(2026, 10, 1))
        for day in days[: index % 6]:
            log_session(link.client, day, routine=plan.routine, pain=(index + day.day) % 10)

    rows = roster(trainer)
    expected = [row.link_id for row in sorted(rows, key=PYTHON_SORTS[sort])]

    assert [figure.link_id for figure in roster_figures(trainer, sort=sort)] == expected
    assert len({len(row.flags) for row in rows}) > 1
    assert len({row.adherence_percent for row in rows}) > 3


def test_the_roster_without_postgresql_has_the_same_figures_in_the_same_order(log_session, time_machine):
    """`make run` with no settings runs on SQLite, where the roster's SQL cannot: the Python
    version must agree with it, figure for figure, in every sort, today and for a digest's week."""
    time_machine.move_to(datetime(2026, 11, 26, 12, 0, tzinfo=UTC), tick=False)
    trainer = TrainerFactory()
    names = ["adam", "Bea", "Émile", "zed", "Ann", "bea", "Carl", "", "Eve", "ann"]
    zones = ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"]
    for index, name in enumerate(names):
        link = client_of(trainer, name, zones[index % 3])
        plan = assignment_create(link, weekdays=[index % 7, (index + 3) % 7], starts_on=date(2026, 10, 1))
        for offset in range(index % 5):
            day = date(2026, 11, 25) - timedelta(days=3 * offset)
            log_session(link.client, day, routine=plan.routine, pain=(index + offset * 2) % 9)

    for sort in ["", *PYTHON_SORTS]:
        for week_ended_on in [None, date(2026, 11, 22)]:
            in_sql = roster_figures(trainer, week_ended_on=week_ended_on, sort=sort)

            in_python = roster_figures_in_python(trainer, week_ended_on=week_ended_on, sort=sort)
            assert in_python == in_sql, (sort, week_ended_on)
            assert len({figure.flags for figure in in_sql}) > 1


def test_the_rows_without_postgresql_show_the_same_as_with_it(log_session, monkeypatch):
    """The page's rows come from one statement on PostgreSQL and from the ORM elsewhere: every
    cell must agree, for rows of a page (a list of links) and for every client (the digest)."""
    trainer = TrainerFactory()
    zones = ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"]
    screenings = [
        {"warning_signs": None},
        {"screened_at": None},
        {"warning_signs": ["night_pain"], "cleared_at": None},
        {"screening_due_reason": "You reported tingling."},
    ]
    for index in range(8):
        link = client_of(trainer, f"Client {index}", zones[index % 3], share_ratings=index % 4 != 1)
        type(link.client).objects.filter(pk=link.client_id).update(**screenings[index % 4])
        plan = assignment_create(link, starts_on=date(2026, 10, 1))
        for offset in range(0, 26, 3 + index % 3):
            day = date(2026, 11, 26) - timedelta(days=offset)
            session = log_session(link.client, day, before=(index + offset) % 10, routine=plan.routine)
        if index % 2:
            SessionComment.objects.create(session=session, author=link.client, body="Sore today.")
            SessionComment.objects.create(session=session, author=trainer, body="Rest then.")
        if index % 3 == 0:
            SessionComment.objects.create(session=session, author=link.client, body="Read.", read_at=NOW)
        if index % 3 != 2:
            Enrolment.objects.create(
                user=link.client,
                track=Track.MOBILITY_FIRST,
                status=Enrolment.Status.ACTIVE if index % 3 == 0 else Enrolment.Status.STOPPED,
                week=1 + index,
                steps=index * 2,
                started_on=date(2026, 11, 1),
                week_turns_on=date(2026, 11, 29),
                week_turns_at=NOW + timedelta(days=3),
                held_at=NOW if index % 2 == 0 else None,
                held_by=trainer if index % 2 == 0 else None,
            )
    figures = roster_figures(trainer)
    in_sql = (roster(trainer), _roster_rows(trainer, figures[2:7], NOW, every=False))

    monkeypatch.setattr(connection, "vendor", "sqlite")
    in_python = (roster(trainer), _roster_rows(trainer, figures[2:7], NOW, every=False))

    assert in_python == in_sql
    rows = in_sql[0]
    assert {row.screening for row in rows} == {"done", "due", "see_clinician"}
    assert {row.new_comments for row in rows} == {0, 1}
    assert {(row.programme_week is None, row.programme_held) for row in rows} >= {
        (True, False),
        (False, True),
    }
    assert {row.tightness_recent is None for row in rows} == {True, False}
    assert any(row.tightness_previous is not None for row in rows)


def test_the_cached_table_follows_the_filter_and_the_page(client):
    trainer = TrainerFactory()
    clients_with_sessions(trainer, 60)
    client.force_login(trainer)

    first, second = (client.get(reverse("coaching:roster"), {"sort": "name", "page": n}) for n in (1, 2))
    again = client.get(reverse("coaching:roster"), {"sort": "name", "page": 1})

    assert "Page 1 of 2" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    assert again.content.decode().split("<main")[1] == first.content.decode().split("<main")[1]


@pytest.fixture
def redis_cache(settings, default_cache):
    """The real Redis as the cache, under a prefix of this test's own, emptied afterwards."""
    prefix = f"test-{uuid4().hex[:12]}"
    default_cache(
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    )
    server = redis.Redis.from_url(settings.REDIS_URL)
    yield lambda: sorted(key.decode() for key in server.scan_iter(f"{prefix}:*"))
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def test_asking_for_every_page_number_stores_only_the_pages_that_exist(client, redis_cache):
    trainer = TrainerFactory()
    clients_with_sessions(trainer, 60)  # two pages
    client.force_login(trainer)

    for number in [1, 2, 3, 50, 9999, "x", -1]:
        response = client.get(reverse("coaching:roster"), {"sort": "name", "page": number})
        assert response.status_code == 200
    last = client.get(reverse("coaching:roster"), {"sort": "name", "page": 777})

    # <prefix>:1:roster:5:<trainer>:<version>:<quarter hour>:<flag>:<sort>:<page>, tables only.
    roster_keys = [key.split(":")[2:] for key in redis_cache() if ":roster:" in key]
    assert sorted(key[5:] for key in roster_keys) == [["", "name", "1"], ["", "name", "2"]]
    assert "Page 2 of 2" in last.content.decode()


def test_a_client_renaming_themselves_shows_on_the_roster_at_once(client):
    trainer = TrainerFactory()
    link = client_of(trainer, "Kim", "Europe/London")
    client.force_login(trainer)
    assert "Kim" in client.get(reverse("coaching:roster")).content.decode()

    client.force_login(link.client)
    client.post(reverse("accounts:settings"), {"display_name": "Kimberley", "time_zone": "Europe/London"})
    client.force_login(trainer)

    assert "Kimberley" in client.get(reverse("coaching:roster")).content.decode()


def test_an_unknown_sort_keeps_the_chosen_flag(client, log_session):
    trainer = TrainerFactory()
    three_days_a_week(client_of(trainer, "Kim", "Europe/London"))
    kept = client_of(trainer, "Lee", "Europe/London")
    plan = three_days_a_week(kept)
    for day in (23, 25):
        log_session(kept.client, date(2026, 11, day), routine=plan.routine)
    client.force_login(trainer)

    page = client.get(
        reverse("coaching:roster"), {"flag": Flag.LOW_ADHERENCE, "sort": "nope"}
    ).content.decode()

    assert "Kim" in page
    assert "Lee" not in page


def test_two_clients_with_the_same_name_are_told_apart_by_their_address(client):
    trainer = TrainerFactory()
    for email in ("sam@example.com", "sam.lee@example.org"):
        TrainerClientFactory(trainer=trainer, client=UserFactory(display_name="Sam Lee", email=email))
    client.force_login(trainer)

    body = client.get(reverse("coaching:roster")).content.decode()

    assert body.count(">Sam Lee</a>") == 2
    assert '<span class="client-email">sam@example.com</span>' in body
    assert '<span class="client-email">sam.lee@example.org</span>' in body


def test_each_roster_cell_names_its_column_for_the_phone_layout_and_keeps_table_roles(client):
    trainer = TrainerFactory()
    TrainerClientFactory(trainer=trainer)
    client.force_login(trainer)

    body = client.get(reverse("coaching:roster")).content.decode()

    assert '<table class="roster" role="table">' in body
    for label in ("Safety check", "This week", "Last session", "Tightness", "Flags"):
        assert f'<td role="cell" data-label="{label}">' in body
    assert '<th scope="row" role="rowheader">' in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ("", "flags")),
        ("flag=pain&sort=name", ("pain", "name")),
        ("flag=nope&sort=name", ("", "name")),
        ("flag=any&sort=", ("any", "flags")),
        ("flag=%00&sort=last_session", ("", "last_session")),
        ("sort=name&sort=adherence", ("", "adherence")),  # the last one, as a form reads it
    ],
)
def test_the_filters_come_from_the_query_string_each_on_its_own(query, expected):
    assert roster_filter_values(QueryDict(query)) == expected


def test_the_cached_roster_is_the_roster_worked_out_afresh_after_each_kind_of_change(
    client, log_session, time_machine
):
    """The roster is cached under the trainer's version, which every change a client or their
    trainer can make to what it shows bumps: after each, the roster served is the roster worked
    out from nothing, and the change shows on it."""
    trainer = TrainerFactory()
    names = [("Kim", "Europe/London"), ("Aroha", "Pacific/Auckland"), ("Lee", "America/Los_Angeles")]
    kim, aroha, lee = links = [client_of(trainer, name, zone) for name, zone in names]
    plans = [three_days_a_week(link) for link in links]
    sessions = {}
    client.force_login(trainer)

    def roster_page() -> str:
        return client.get(reverse("coaching:roster")).content.decode().split("<main")[1]

    def log(link, day, plan, **ratings):
        sessions[link.pk] = log_session(link.client, day, routine=plan.routine, **ratings)

    changes = {
        "a session": lambda: log(kim, date(2026, 11, 25), plans[0], before=7),
        "strong pain": lambda: log(kim, date(2026, 11, 26), plans[0], before=5, pain=8),
        "a comment": lambda: session_comment_add(session=sessions[kim.pk], author=kim.client, body="Sore."),
        "the comment read": lambda: comments_mark_read(session=sessions[kim.pk], reader=trainer),
        "sharing less": lambda: link_sharing_update(
            link=kim, share_ratings=False, share_red_flags=False, share_notes=False, share_screening=True
        ),
        "a session elsewhere": lambda: log(aroha, date(2026, 11, 27), plans[1], before=4),
        "its deletion": lambda: session_log_delete(session=sessions[aroha.pk]),
        # Thursdays too: due yesterday once Lee's today is Friday, in Auckland
        "a new assignment": lambda: assignment_create(
            lee, weekdays=[MON, WED, 3], starts_on=date(2026, 11, 1)
        ),
        "a new time zone": lambda: user_profile_update(
            user=lee.client, display_name="Lee", time_zone="Pacific/Auckland", goals=[]
        ),
        "a new day": lambda: time_machine.move_to(NOW + timedelta(days=1), tick=False),
    }
    pages = [roster_page()]  # cached from here on
    for change, make in changes.items():
        make()
        kept = roster_page()
        cache.clear()  # nothing kept, no page cached
        assert kept == roster_page(), change
        assert kept != pages[-1], f"{change} does not show on the roster"
        pages.append(kept)
