import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains

from progress.models import SessionLog
from progress.services import ExerciseLogEntry, session_log_record
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    StarterRoutineFactory,
    UserFactory,
    session_logs_bulk_create,
)

pytestmark = pytest.mark.django_db

EXPORT = reverse("progress:export")
SESSIONS_CSV = reverse("progress:export_sessions_csv")
EXERCISES_CSV = reverse("progress:export_exercises_csv")
DATA_JSON = reverse("progress:export_json")
DOWNLOADS = [SESSIONS_CSV, EXERCISES_CSV, DATA_JSON]
MAY_DAY = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def person(client):
    user = UserFactory(email="sam@example.com", display_name="Sam", time_zone="America/New_York")
    client.force_login(user)
    return user


def log(user, started_at=MAY_DAY, *, routine=None, exercises=(), minutes=10, **fields) -> SessionLog:
    values = {"tightness_before": 6, "tightness_after": 4, "pain": 0} | fields
    session, _ = session_log_record(
        user=user,
        routine=routine,
        client_token=None,
        started_at=started_at,
        finished_at=started_at + timedelta(minutes=minutes),
        exercises=[ExerciseLogEntry(exercise.pk, 30, 2, False) for exercise in exercises],
        **values,
    )
    return session


def download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(client, url) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(download(client, url).decode("utf-8-sig"))))


def test_the_page_explains_and_links_the_three_downloads(client, person):
    response = client.get(EXPORT)

    assertContains(response, "<h1>Download your data</h1>", html=True)
    for url in DOWNLOADS:
        assertContains(response, f'href="{url}"')


@pytest.mark.parametrize("url", [EXPORT, *DOWNLOADS])
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("url", DOWNLOADS)
def test_downloads_only_answer_get(client, person, url):
    assert client.post(url).status_code == 405


def test_the_sessions_csv_has_a_row_per_session_with_times_in_my_time_zone(client, person):
    routine = RoutineFactory(owner=person, title="Desk break")
    log(person, MAY_DAY, routine=routine, minutes=12, pain=2, tingling=True, notes="Felt looser")
    log(person, MAY_DAY + timedelta(days=1), tightness_before=None, tightness_after=None)

    rows = csv_rows(client, SESSIONS_CSV)

    assert list(rows[0]) == [
        "date",
        "id",
        "started_at",
        "finished_at",
        "routine",
        "minutes",
        "tightness_before",
        "tightness_after",
        "pain",
        "chest_symptoms",
        "bladder_bowel",
        "leg_weakness",
        "dizziness",
        "arm_pain",
        "numbness",
        "tingling",
        "weakness",
        "sharp_pain",
        "stopped_early",
        "stop_reason",
        "notes",
    ]
    first = SessionLog.objects.earliest("started_at")
    assert rows[0] == {
        "date": "2026-05-01",
        "id": str(first.pk),
        "started_at": "2026-05-01T08:00:00-04:00",
        "finished_at": "2026-05-01T08:12:00-04:00",
        "routine": "Desk break",
        "minutes": "12.0",
        "tightness_before": "6",
        "tightness_after": "4",
        "pain": "2",
        "chest_symptoms": "no",
        "bladder_bowel": "no",
        "leg_weakness": "no",
        "dizziness": "no",
        "arm_pain": "no",
        "numbness": "no",
        "tingling": "yes",
        "weakness": "no",
        "sharp_pain": "no",
        "stopped_early": "no",
        "stop_reason": "",
        "notes": "Felt looser",
    }
    assert (rows[1]["date"], rows[1]["tightness_before"], rows[1]["routine"]) == ("2026-05-02", "", "")


def test_the_exercises_csv_has_a_row_per_exercise_of_every_session(client, person):
    twist, cat_cow = ExerciseFactory(name="Seated twist"), ExerciseFactory(name="Cat-cow")
    session = log(person, exercises=[twist, cat_cow])

    rows = csv_rows(client, EXERCISES_CSV)

    assert rows == [
        {
            "session_date": "2026-05-01",
            "session_id": str(session.pk),
            "order": "1",
            "exercise": "Seated twist",
            "seconds": "30",
            "reps": "2",
            "skipped": "no",
            "felt": "",
            "timed": "yes",
            "feeling": "",
        },
        {
            "session_date": "2026-05-01",
            "session_id": str(session.pk),
            "order": "2",
            "exercise": "Cat-cow",
            "seconds": "30",
            "reps": "2",
            "skipped": "no",
            "felt": "",
            "timed": "yes",
            "feeling": "",
        },
    ]


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_written_as_text(client, person):
    log(person, notes='=HYPERLINK("http://evil.example","Click me")', routine=RoutineFactory(title="+1 desk"))
    log(person, MAY_DAY + timedelta(days=1), notes="@SUM(A1)")
    log(person, MAY_DAY + timedelta(days=2), notes="-2+3")
    log(person, MAY_DAY + timedelta(days=3), notes="Fine – nothing to escape")

    rows = csv_rows(client, SESSIONS_CSV)

    assert [row["notes"] for row in rows] == [
        '\'=HYPERLINK("http://evil.example","Click me")',
        "'@SUM(A1)",
        "'-2+3",
        "Fine – nothing to escape",
    ]
    assert rows[0]["routine"] == "'+1 desk"


def test_the_json_holds_my_profile_routines_and_sessions_with_their_exercises(client, person):
    twist = ExerciseFactory(name="Seated twist")
    routine = RoutineFactory(owner=person, title="Desk break", description="At lunch", exercises=[twist])
    StarterRoutineFactory(title="A starter everyone has")
    log(person, routine=routine, exercises=[twist], notes="Easier today")

    data = json.loads(download(client, DATA_JSON))

    assert data["profile"]["email"] == "sam@example.com"
    assert data["profile"]["display_name"] == "Sam"
    assert data["profile"]["time_zone"] == "America/New_York"
    assert set(data["profile"]) >= {"goals", "screening", "weekly_goal_sessions", "date_joined"}
    assert set(data["profile"]["screening"]) >= {"warning_signs", "tier2_answers", "screened_at"}
    [exported_routine] = data["routines"]
    assert exported_routine["title"] == "Desk break"
    assert exported_routine["description"] == "At lunch"
    assert [item["exercise"] for item in exported_routine["items"]] == ["Seated twist"]
    [session] = data["sessions"]
    assert session["started_at"] == "2026-05-01T08:00:00-04:00"
    assert session["routine"] == "Desk break"
    assert session["notes"] == "Easier today"
    assert session["exercises"] == [
        {
            "order": 1,
            "exercise": "Seated twist",
            "seconds": 30,
            "reps": 2,
            "skipped": False,
            "felt": None,
            "timed": True,
            "feeling": "",
        }
    ]


def test_the_json_is_valid_with_nothing_logged_yet(client, person):
    data = json.loads(download(client, DATA_JSON))

    assert (data["routines"], data["sessions"]) == ([], [])


@pytest.mark.parametrize("url", DOWNLOADS)
def test_each_download_holds_only_my_data(client, person, url):
    exercise = ExerciseFactory(name="Shared library stretch")
    someone = UserFactory(email="someone@example.com")
    mine = log(person, exercises=[exercise], notes="My own note")
    log(someone, exercises=[exercise], notes="Someone else's note")
    RoutineFactory(owner=someone, title="Someone else's routine")

    body = download(client, url)

    assert session_ids(url, body) == {mine.pk}
    assert b"Someone else" not in body
    assert b"someone@example.com" not in body


def session_ids(url: str, body: bytes) -> set[int]:
    if url == DATA_JSON:
        return {session["id"] for session in json.loads(body)["sessions"]}
    column = "id" if url == SESSIONS_CSV else "session_id"
    return {int(row[column]) for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}


@pytest.mark.parametrize(
    ("url", "filename", "content_type"),
    [
        (SESSIONS_CSV, "unknot-sessions-2026-11-25.csv", "text/csv; charset=utf-8"),
        (EXERCISES_CSV, "unknot-exercises-2026-11-25.csv", "text/csv; charset=utf-8"),
        (DATA_JSON, "unknot-data-2026-11-25.json", "application/json"),
    ],
)
def test_downloads_are_private_attachments_named_after_my_today(
    client, time_machine, url, filename, content_type
):
    time_machine.move_to(datetime(2026, 11, 24, 23, 30, tzinfo=UTC), tick=False)  # the 25th in Tokyo
    client.force_login(UserFactory(time_zone="Asia/Tokyo"))

    response = client.get(url)

    assert response.streaming
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Content-Type"] == content_type
    assert "no-store" in response["Cache-Control"]


def queries_to_download(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        download(client, url)  # the streamed body is read inside the context, where its queries run
    return len(queries)


@pytest.mark.parametrize("url", DOWNLOADS)
def test_downloads_run_the_same_number_of_queries_with_5_and_200_sessions(client, person, url):
    exercises = [ExerciseFactory(), ExerciseFactory()]
    routine = RoutineFactory(owner=person, exercises=exercises)
    RoutineFactory(owner=person, exercises=exercises)

    for day in range(5):
        log(person, MAY_DAY + timedelta(days=day), routine=routine, exercises=exercises)
    with_5 = queries_to_download(client, url)
    last_day = (MAY_DAY + timedelta(days=199)).date()
    session_logs_bulk_create(person, 195, exercises, routine=routine, last_day=last_day)  # and the rollups
    with_200 = queries_to_download(client, url)

    assert with_5 == with_200


def test_the_json_holds_my_email_settings_and_reminders(client, person):
    from datetime import time

    from notifications.services import reminder_schedule_save

    routine = RoutineFactory(owner=person, title="Evening unwind")
    reminder_schedule_save(user=person, weekdays=[0, 2], local_time=time(18, 30), routine=routine)

    profile = json.loads(download(client, DATA_JSON))["profile"]

    assert profile["emails"]["weekly_on"] == "Monday"
    assert profile["reminders"] == [
        {"weekdays": ["Monday", "Wednesday"], "time": "18:30", "routine": "Evening unwind", "enabled": True}
    ]
