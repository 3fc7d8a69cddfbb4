"""The answers of the five-question screening, carried over to the two tiers.

- osteoporosis and spinal_condition are the tier-2 answers of the same name;
- recent_injury, acute_pain and nerve_symptoms have no single new answer (which area? new or
  getting worse?): those people are asked again, with what did map filled in, and a sentence
  that says why;
- tier 1 was never asked before, so `warning_signs` stays empty (null) for everyone screened:
  "nothing has changed" cannot confirm it (accounts.screening.tier1_answered).
"""

from django.db import migrations

CARRIED_OVER = ["osteoporosis", "spinal_condition"]
ASKED_AGAIN = {"recent_injury", "acute_pain", "nerve_symptoms"}
QUESTIONS_CHANGED = (
    "The safety questions have changed since you answered them, and some of your answers need "
    "the new questions."
)


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    people = User.objects.filter(screened_at__isnull=False).only("pk", "screening_flags")
    changed = []
    for person in people.iterator(chunk_size=1000):
        flags = set(person.screening_flags or [])
        person.warning_signs = None
        person.tier2_answers = [value for value in CARRIED_OVER if value in flags]
        person.screening_due_reason = QUESTIONS_CHANGED if flags & ASKED_AGAIN else ""
        changed.append(person)
        if len(changed) == 1000:
            User.objects.bulk_update(changed, ["warning_signs", "tier2_answers", "screening_due_reason"])
            changed = []
    User.objects.bulk_update(changed, ["warning_signs", "tier2_answers", "screening_due_reason"])


def backwards(apps, schema_editor):
    """Old flags from the new answers, erring on the side of a warning: pain now was "acute
    pain", recent surgery a "recent injury", new nerve symptoms "numbness, tingling or weakness"."""
    User = apps.get_model("accounts", "User")
    changed = []
    for person in User.objects.filter(screened_at__isnull=False).iterator(chunk_size=1000):
        flags = [value for value in CARRIED_OVER if value in person.tier2_answers]
        if person.surgery_areas:
            flags.append("recent_injury")
        if person.pain_areas:
            flags.append("acute_pain")
        if "nerve_changes" in (person.warning_signs or []):
            flags.append("nerve_symptoms")
        person.screening_flags = flags
        changed.append(person)
    User.objects.bulk_update(changed, ["screening_flags"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0007_two_tier_screening"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
