"""The red-flag email to the trainer, the comment thread on a shared session, and what a client
chooses to share."""

import pytest
from django.urls import reverse

from coaching.models import SessionComment
from coaching.services import session_comment_add
from progress.selectors import local_today
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    TrainerFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    return TrainerClientFactory(trainer=TrainerFactory(display_name="Robin", email="robin@example.com"))


@pytest.fixture
def plan(link):
    return assignment_create(link, exercises=[ExerciseFactory()])


def test_a_red_flag_in_an_assigned_session_emails_the_trainer_at_once(
    link, plan, log_session, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log_session(link.client, local_today(link.client), routine=plan.routine, pain=8, tingling=True)

    [email] = mailoutbox
    assert email.to == ["robin@example.com"]
    assert f"{link.client} reported a red flag" in email.subject
    assert "Tingling" in email.body
    assert "Pain: 8/10" in email.body
    assert reverse("coaching:client_detail", args=[link.pk]) in email.body
    assert email.alternatives[0][1] == "text/html"


def test_no_alert_for_a_calm_session_another_routine_or_a_client_who_does_not_share_alerts(
    link, plan, log_session, mailoutbox, django_capture_on_commit_callbacks
):
    own = RoutineFactory(owner=link.client, exercises=[ExerciseFactory()])
    today = local_today(link.client)
    with django_capture_on_commit_callbacks(execute=True):
        log_session(link.client, today, routine=plan.routine, pain=3)
        log_session(link.client, today, routine=own, pain=9)
        link.share_red_flags = False
        link.save()
        log_session(link.client, today, routine=plan.routine, numbness=True)

    assert mailoutbox == []


def test_the_trainer_sees_only_what_the_client_shares(client, link, plan, log_session):
    link.share_ratings = link.share_notes = False
    link.save()
    session = log_session(
        link.client, local_today(link.client), routine=plan.routine, pain=5, notes="Private note"
    )
    client.force_login(link.trainer)

    page = client.get(reverse("coaching:client_session", args=[link.pk, session.pk])).content.decode()

    assert "Private note" not in page
    assert "Pain 5" not in page
    assert "Tightness" not in page


def test_the_trainer_reads_the_red_flags_in_the_words_the_client_ticked(client, link, plan, log_session):
    session = log_session(link.client, local_today(link.client), routine=plan.routine, weakness=True)
    client.force_login(link.trainer)

    client_page = client.get(reverse("coaching:client_detail", args=[link.pk]))
    session_page = client.get(reverse("coaching:client_session", args=[link.pk, session.pk]))

    for page in (client_page, session_page):
        assert "⚠ Needs attention:</strong> Weakness in an arm or hand</p>" in page.content.decode()


def test_the_trainer_sees_the_sessions_exercises_as_the_client_does(client, link, log_session):
    moves = [ExerciseFactory(name="Chin tuck"), ExerciseFactory(name="Wall angel")]
    plan = assignment_create(link, exercises=moves)
    session = log_session(link.client, local_today(link.client), routine=plan.routine, exercises=moves)

    def exercises_on(url: str) -> str:
        page = client.get(url).content.decode()
        return page[page.index("<h2>Exercises</h2>") :].split("</ol>")[0]

    client.force_login(link.client)
    as_the_client = exercises_on(session.get_absolute_url())
    client.force_login(link.trainer)
    as_the_trainer = exercises_on(reverse("coaching:client_session", args=[link.pk, session.pk]))

    assert "<li>Chin tuck: 30 s held, 1 rep</li>" in as_the_client
    assert "<li>Wall angel: 30 s held, 1 rep</li>" in as_the_client
    assert as_the_trainer == as_the_client


def test_a_comment_thread_marks_new_comments_for_each_side(client, link, plan, log_session):
    session = log_session(link.client, local_today(link.client), routine=plan.routine)
    trainer_page = reverse("coaching:client_session", args=[link.pk, session.pk])
    client.force_login(link.trainer)
    client.post(trainer_page, {"body": "Great work. Keep the elbows low."})

    client.force_login(link.client)
    first_look = client.get(session.get_absolute_url()).content.decode()
    second_look = client.get(session.get_absolute_url()).content.decode()
    client.post(reverse("coaching:session_comment", args=[session.pk]), {"body": "Thanks, will do."})
    after_reply = client.get(session.get_absolute_url()).content.decode()
    client.force_login(link.trainer)
    roster = client.get(reverse("coaching:roster")).content.decode()
    trainer_view = client.get(trainer_page).content.decode()

    assert "Keep the elbows low." in first_look
    assert ">New<" in first_look
    assert ">New<" in second_look  # looking writes nothing: still new until read or answered
    assert ">New<" not in after_reply
    assert "1 new comment" in roster
    assert "Thanks, will do." in trainer_view
    assert ">New<" in trainer_view
    assert SessionComment.objects.count() == 2


def test_mark_as_read_clears_the_new_comments_on_each_side(client, link, plan, log_session):
    session = log_session(link.client, local_today(link.client), routine=plan.routine)
    session_comment_add(session=session, author=link.trainer, body="How did the rows feel?")

    client.force_login(link.client)
    before = client.get(session.get_absolute_url()).content.decode()
    marked = client.post(reverse("coaching:session_comments_read", args=[session.pk]), follow=True)
    session_comment_add(session=session, author=link.client, body="Heavy on the left.")
    client.force_login(link.trainer)
    trainer_page = reverse("coaching:client_session", args=[link.pk, session.pk])
    trainer_before = client.get(trainer_page).content.decode()
    client.post(reverse("coaching:client_session_read", args=[link.pk, session.pk]))
    roster = client.get(reverse("coaching:roster")).content.decode()

    assert "Mark as read" in before
    assert "Comments marked as read." in marked.content.decode()
    assert ">New<" not in marked.content.decode()
    assert "Mark as read" not in marked.content.decode()
    assert ">New<" in trainer_before
    assert "new comment" not in roster
    assert not SessionComment.objects.filter(read_at=None).exists()


def test_an_empty_comment_gets_a_message(client, link, plan, log_session):
    session = log_session(link.client, local_today(link.client), routine=plan.routine)
    client.force_login(link.client)

    response = client.post(reverse("coaching:session_comment", args=[session.pk]), {"body": "  "})

    assert response.status_code == 422
    assert "Write something before sending." in response.content.decode()


def test_a_client_changes_what_they_share(client, link):
    client.force_login(link.client)

    response = client.post(
        reverse("coaching:trainer_link", args=[link.pk]), {"share_red_flags": "on"}, follow=True
    )

    link.refresh_from_db()
    assert (link.share_ratings, link.share_red_flags, link.share_notes) == (False, True, False)
    assert "Saved. Robin now sees what you ticked." in response.content.decode()


def test_settings_list_the_clients_trainers(client, link):
    client.force_login(link.client)

    page = client.get(reverse("accounts:settings")).content.decode()

    assert "Your trainers" in page
    assert reverse("coaching:trainer_link", args=[link.pk]) in page


def test_a_trainer_ends_the_link_after_confirming(client, link):
    client.force_login(link.trainer)

    confirm = client.get(reverse("coaching:client_end", args=[link.pk])).content.decode()
    response = client.post(reverse("coaching:client_end", args=[link.pk]), follow=True)

    link.refresh_from_db()
    assert "Stop coaching" in confirm
    assert link.status == "ended"
    assert "You no longer coach" in response.content.decode()


def test_a_red_flag_added_when_editing_a_session_alerts_the_trainer(
    link, plan, log_session, mailoutbox, django_capture_on_commit_callbacks
):
    from progress.services import session_log_update

    session = log_session(link.client, local_today(link.client), routine=plan.routine, pain=2)

    with django_capture_on_commit_callbacks(execute=True):
        session_log_update(
            session=session, started_at=session.started_at, finished_at=session.finished_at, weakness=True
        )
        session_log_update(
            session=session, started_at=session.started_at, finished_at=session.finished_at, notes="Still"
        )

    [email] = mailoutbox
    assert "Weakness" in email.body


def test_a_line_break_in_a_name_becomes_a_space_so_no_header_can_be_planted(client, link):
    client.force_login(link.client)

    response = client.post(
        reverse("accounts:settings"),
        {"display_name": "Bob\r\nBcc: x@example.com", "time_zone": "Europe/London"},
    )

    link.client.refresh_from_db()
    assert response.status_code == 302
    assert link.client.display_name == "Bob Bcc: x@example.com"


def test_when_a_client_deletes_their_account_the_roster_forgets_them_at_once(client, link):
    client.force_login(link.trainer)
    name = f">{link.client.display_name}</a>"
    assert name in client.get(reverse("coaching:roster")).content.decode()

    from accounts.services import user_delete

    user_delete(user=link.client)

    assert name not in client.get(reverse("coaching:roster")).content.decode()


def test_a_comment_sent_twice_by_a_double_click_is_posted_once(client, link, plan, log_session):
    session = log_session(link.client, local_today(link.client), routine=plan.routine)
    client.force_login(link.trainer)

    for _ in range(2):
        client.post(reverse("coaching:client_session", args=[link.pk, session.pk]), {"body": "Nice one"})

    assert SessionComment.objects.count() == 1


@pytest.mark.parametrize("shares_notes", [True, False], ids=["shares notes", "keeps notes private"])
def test_the_trainer_sees_a_stopped_session_and_why_only_as_far_as_the_client_shares(
    client, link, plan, log_session, shares_notes
):
    link.share_notes = shares_notes
    link.save()
    session = log_session(
        link.client,
        local_today(link.client),
        routine=plan.routine,
        stopped_early=True,
        stop_reason="My shoulder pinched",
    )
    client.force_login(link.trainer)

    page = client.get(reverse("coaching:client_session", args=[link.pk, session.pk])).content.decode()

    assert "Stopped early:</strong> something felt wrong; no red flag reported." in page
    assert ("My shoulder pinched" in page) is shares_notes
