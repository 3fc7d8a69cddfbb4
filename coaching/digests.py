"""The trainer's weekly digest: every client's adherence in the week just ended, their flags as on
the roster, and who could use a nudge. Built for a batch of trainers by the dispatcher's weekly
pass (registered in CoachingConfig.ready)."""

from datetime import date, timedelta

from accounts.models import User
from coaching.models import TrainerClient
from coaching.roster import Flag, roster
from progress.selectors import week_start

# The roster's flags, in words for a week that is over.
DIGEST_FLAG_LABELS = {**Flag.LABELS, Flag.LOW_ADHERENCE: "Under 50% that week"}


def trainer_digests_build(trainers: list[tuple[User, date]]) -> dict[int, dict]:
    """For each (trainer, local day the digest is sent) with active clients: every client's
    adherence in the week that ended the day before (the same days for every client, whatever
    their time zone), their flags as on the roster, and who needs a nudge."""
    trainer_ids = set(
        TrainerClient.objects.active()
        .filter(trainer__in=[trainer for trainer, _ in trainers])
        .values_list("trainer_id", flat=True)
        .distinct()
    )
    digests = {}
    for trainer, sent_on in trainers:
        if trainer.pk not in trainer_ids:
            continue
        last_day = sent_on - timedelta(days=1)
        rows = roster(trainer, week_ended_on=last_day)
        rows.sort(key=lambda row: (-len(row.flags), row.name.lower()))
        digests[trainer.pk] = {
            "week_start": week_start(last_day).isoformat(),
            "clients": [
                {
                    "link_id": row.link_id,
                    "name": row.name,
                    "done": row.done,
                    "scheduled": row.scheduled,
                    "adherence": row.adherence_percent,
                    "last_session": row.last_session.isoformat() if row.last_session else None,
                    "flags": [DIGEST_FLAG_LABELS[flag] for flag in row.flags],
                }
                for row in rows
            ],
            "nudge": [
                row.name for row in rows if Flag.INACTIVE in row.flags or Flag.LOW_ADHERENCE in row.flags
            ],
            "check_in": [row.name for row in rows if {Flag.PAIN, Flag.PAIN_RISING} & set(row.flags)],
        }
    return digests
