"""The safety screening: its questions, what each warning sign asks of the person, and the rules
that read the answers (is the screening due; which conditions an exercise must suit).

Two tiers (docs/architecture.md, "Onboarding and the safety screening"):
- tier 1, `WarningSign`: signs that need a clinician first. Any yes locks the routines until the
  person confirms a clinician has cleared them;
- tier 2, `Tier2` and the `Area`s of recent surgery or of pain now: what changes which exercises
  suit the person. `conditions_for` turns them into the exercise library's condition tags.

Plain functions of a user-like object, so that accounts.models can import this module (for the
`User` properties) without this module importing the models.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

SCREENING_VALID_DAYS = 90  # the answers are asked again after this many days
PREGNANCY_WEEKS = 42  # the longest a pregnancy week can be


class WarningSign(models.TextChoices):
    """Tier 1: signs that need a clinician before stretching."""

    CHEST_PAIN = "chest_pain", "Chest pain, or getting breathless more easily than usual"
    FALL_OR_INJURY = "fall_or_injury", "A recent fall or injury to your back"
    FRACTURE = "fracture", "A known or suspected fracture in your spine"
    CANCER = "cancer", "A history of cancer"
    WEIGHT_LOSS_OR_FEVER = "weight_loss_or_fever", "Weight loss you cannot explain, or a fever"
    NIGHT_PAIN = "night_pain", "Constant pain at night, or pain that rest does not ease"
    NERVE_CHANGES = "nerve_changes", "Numbness, tingling or weakness that is new or getting worse"
    BLADDER_BOWEL = "bladder_bowel", "New changes in bladder or bowel control, or numbness around your groin"


class Tier2(models.TextChoices):
    """Tier 2: conditions that change which exercises suit the person. The values are the exercise
    library's condition tags of the same name (accounts Condition, on the library branch)."""

    OSTEOPOROSIS = "osteoporosis", "Low bone density or osteoporosis"
    PREGNANCY = "pregnancy", "Pregnancy"
    HYPERMOBILITY = "hypermobility", "Hypermobility (joints that bend further than most people’s)"
    INFLAMMATORY_ARTHRITIS = (
        "inflammatory_arthritis",
        "Inflammatory arthritis, such as rheumatoid arthritis or ankylosing spondylitis",
    )
    SHOULDER_INSTABILITY = "shoulder_instability", "Shoulder instability, or a shoulder that has dislocated"
    SPINAL_CONDITION = "spinal_condition", "A spinal fusion, a disc problem or spinal stenosis"


class Area(models.TextChoices):
    """Parts of the body, for recent surgery and for pain now. An exercise's condition tag for an
    area is `area_<value>`."""

    NECK = "neck", "Neck"
    UPPER_BACK = "upper_back", "Upper back"
    LOWER_BACK = "lower_back", "Lower back"
    SHOULDER = "shoulder", "Shoulder"
    WRIST_HAND = "wrist_hand", "Wrist or hand"
    HIP_KNEE = "hip_knee", "Hip or knee"


# --- The exercise library's vocabulary: the conditions an exercise may not suit ----------------


class Condition(models.TextChoices):
    """What changes which exercises suit a person: each exercise says, per condition, whether it
    is fine, fine with a change, or unsuitable (routines.models.Exercise.suitability).

    The `area_*` values are parts of the body that hurt now or had surgery recently.
    """

    OSTEOPOROSIS = "osteoporosis", "Low bone density or osteoporosis"
    PREGNANCY = "pregnancy", "Pregnancy"
    # Derived from the week (see pregnancy_conditions): lying flat on the back is the concern.
    PREGNANCY_LATER = "pregnancy_later", "Pregnancy after about 16 weeks"
    HYPERMOBILITY = "hypermobility", "Hypermobility"
    INFLAMMATORY_ARTHRITIS = (
        "inflammatory_arthritis",
        "Inflammatory arthritis (such as ankylosing spondylitis or rheumatoid arthritis)",
    )
    SHOULDER_INSTABILITY = "shoulder_instability", "Shoulder instability or a past dislocation"
    SPINAL_CONDITION = "spinal_condition", "Spinal fusion, disc problem or spinal stenosis"
    AREA_NECK = "area_neck", "Neck"
    AREA_UPPER_BACK = "area_upper_back", "Upper back"
    AREA_LOWER_BACK = "area_lower_back", "Lower back"
    AREA_SHOULDER = "area_shoulder", "Shoulder"
    AREA_WRIST_HAND = "area_wrist_hand", "Wrist or hand"
    AREA_HIP_KNEE = "area_hip_knee", "Hip or knee"


AREA_PREFIX = "area_"  # the Condition values that name a part of the body
PREGNANCY_LATER_FROM_WEEK = 16


def pregnancy_conditions(*, week: int | None) -> set[str]:
    """The conditions of a pregnancy in its `week`; an unknown week is treated as the later one."""
    if week is not None and week < PREGNANCY_LATER_FROM_WEEK:
        return {Condition.PREGNANCY}
    return {Condition.PREGNANCY, Condition.PREGNANCY_LATER}


def _area_phrases(*parts: str) -> tuple[str, ...]:
    """How a note says that a part of the body hurts now or had surgery ("if your neck is sore")."""
    return tuple(
        phrase
        for part in parts
        for phrase in (
            f"sore {part}",
            f"painful {part}",
            f"injured {part}",
            f"{part} pain",
            f"{part} injury",
            f"{part} surgery",
            f"{part} is sore",
            f"{part} are sore",
            f"{part} is painful",
            f"{part} hurt",
        )
    )


# Lower-case phrases by which a safety note mentions a condition; matched at the start of a word
# (so "disc" would also match "discomfort": the spinal phrases are longer on purpose). Notes that
# only say "stop if you feel pain in your shoulder" name a symptom, not a condition, and match none.
CONDITION_KEYWORDS: dict[str, tuple[str, ...]] = {
    Condition.OSTEOPOROSIS: ("bone density", "osteoporosis", "fragile bones", "fragile vertebrae"),
    Condition.PREGNANCY: ("pregnan", "midwife"),
    Condition.PREGNANCY_LATER: ("16 weeks", "later pregnancy", "later in pregnancy"),
    Condition.HYPERMOBILITY: ("hypermobil",),
    Condition.INFLAMMATORY_ARTHRITIS: ("arthritis", "ankylosing spondylitis"),
    Condition.SHOULDER_INSTABILITY: ("dislocat", "unstable shoulder", "shoulder instability"),
    Condition.SPINAL_CONDITION: (
        "disc problem",
        "discs",
        "slipped disc",
        "bulging disc",
        "spinal fusion",
        "fusion",
        "stenosis",
        "spinal condition",
    ),
    Condition.AREA_NECK: _area_phrases("neck"),
    Condition.AREA_UPPER_BACK: _area_phrases("upper back", "upper-back"),
    Condition.AREA_LOWER_BACK: _area_phrases("lower back", "lower-back"),
    Condition.AREA_SHOULDER: _area_phrases("shoulder", "shoulders"),
    Condition.AREA_WRIST_HAND: ("wrist", *_area_phrases("hand", "hands")),
    Condition.AREA_HIP_KNEE: _area_phrases("hip", "hips", "knee", "knees"),
}

# How a sentence gives a condition as the reason an exercise was swapped for a safer one
# ("Child's pose → Lying on your elbows, because of low bone density"). Calm, and never more than
# the person told us: a reason, not a diagnosis.
CONDITION_BECAUSE: dict[str, str] = {
    Condition.OSTEOPOROSIS: "because of low bone density",
    Condition.PREGNANCY: "because you are pregnant",
    Condition.PREGNANCY_LATER: "because you are past about 16 weeks of pregnancy",
    Condition.HYPERMOBILITY: "because of hypermobility",
    Condition.INFLAMMATORY_ARTHRITIS: "because of inflammatory arthritis",
    Condition.SHOULDER_INSTABILITY: "because of shoulder instability",
    Condition.SPINAL_CONDITION: "because of a spinal fusion, disc problem or stenosis",
    Condition.AREA_NECK: "because your neck is sore or had recent surgery",
    Condition.AREA_UPPER_BACK: "because your upper back is sore or had recent surgery",
    Condition.AREA_LOWER_BACK: "because your lower back is sore or had recent surgery",
    Condition.AREA_SHOULDER: "because your shoulder is sore or had recent surgery",
    Condition.AREA_WRIST_HAND: "because your wrist or hand is sore or had recent surgery",
    Condition.AREA_HIP_KNEE: "because your hip or knee is sore or had recent surgery",
}

# A note that names the narrower condition is about it alone ("from about 16 weeks of pregnancy"
# is not a note about every pregnancy).
_NARROWER_THAN: dict[str, str] = {Condition.PREGNANCY_LATER: Condition.PREGNANCY}

_CONDITION_PATTERNS = {
    condition: re.compile("|".join(rf"\b{re.escape(phrase)}" for phrase in phrases))
    for condition, phrases in CONDITION_KEYWORDS.items()
}


def conditions_mentioned(text: str) -> set[str]:
    """The conditions a piece of safety text mentions, by CONDITION_KEYWORDS."""
    lowered = text.lower()
    found = {condition for condition, pattern in _CONDITION_PATTERNS.items() if pattern.search(lowered)}
    for narrower, broader in _NARROWER_THAN.items():
        if narrower in found:
            found.discard(broader)
    return found


class ScreeningStatus(models.TextChoices):
    """Where a person stands; trainers see the label of their clients' status."""

    DUE = "due", "Due"
    SEE_CLINICIAN = "see_clinician", "See a clinician first"
    DONE = "done", "Done"


# --- What each warning sign asks of the person ----------------------------------------------


@dataclass(frozen=True)
class Guidance:
    """Whom to see about a warning sign and how soon, in our words. `rank` orders the most urgent
    first when several signs were ticked."""

    rank: int
    who: str
    when: str
    advice: str


EMERGENCY_NOW = "Call emergency services now"
EMERGENCY_TODAY = "Go to an emergency department today"

GUIDANCE: dict[str, Guidance] = {
    WarningSign.CHEST_PAIN: Guidance(
        rank=1,
        who="Emergency services, or a doctor",
        when=f"{EMERGENCY_NOW} if you have chest pain with breathlessness",
        advice=(
            "If you have chest pain now, or chest pain together with breathlessness, call "
            "emergency services now (the local number, such as 999, 112 or 911) and do not drive "
            "yourself. If it has passed, or you simply get out of breath more easily than you "
            "used to, see a doctor as soon as you can, today if possible, before you exercise."
        ),
    ),
    WarningSign.BLADDER_BOWEL: Guidance(
        rank=2,
        who="An emergency department",
        when=EMERGENCY_TODAY,
        advice=(
            "Changes in bladder or bowel control, or numbness around your groin or inner thighs, "
            "need to be checked the same day, even if your back does not hurt much. Go to an "
            "emergency department today rather than waiting for an appointment."
        ),
    ),
    WarningSign.FALL_OR_INJURY: Guidance(
        rank=3,
        who="A doctor or an urgent care service",
        when="Soon, and today if the pain is severe",
        advice=(
            "After a fall or an injury, a doctor should check your back before you stretch it. "
            "See a doctor or an urgent care service in the next day or two, and today if the pain "
            "is severe. If you cannot move your arms or legs as usual, call emergency services."
        ),
    ),
    WarningSign.FRACTURE: Guidance(
        rank=3,
        who="A doctor or an urgent care service",
        when="Soon, and today if the pain is severe",
        advice=(
            "A bone in the spine that is, or may be, broken needs a doctor’s advice before any "
            "stretching. See a doctor or an urgent care service in the next day or two, and today "
            "if the pain is severe."
        ),
    ),
    WarningSign.CANCER: Guidance(
        rank=4,
        who="Your GP or doctor",
        when="Within the next few days",
        advice=(
            "Most back pain has an everyday cause. When you have had cancer, though, a doctor "
            "should look at back pain before you start exercising, even if it seems minor. Book "
            "an appointment with your GP or doctor within the next few days."
        ),
    ),
    WarningSign.WEIGHT_LOSS_OR_FEVER: Guidance(
        rank=4,
        who="Your GP or doctor",
        when="Within the next few days",
        advice=(
            "Weight loss you cannot explain, or a fever, together with back pain or stiffness, is "
            "something a doctor should look into before you exercise. Book an appointment with your GP or "
            "doctor within the next few days."
        ),
    ),
    WarningSign.NIGHT_PAIN: Guidance(
        rank=4,
        who="Your GP or doctor",
        when="Within the next few days",
        advice=(
            "Pain that keeps going at night, or that rest does not ease, behaves differently from "
            "ordinary stiffness. Book an appointment with your GP or doctor within the next few "
            "days, and let them check it before you stretch."
        ),
    ),
    WarningSign.NERVE_CHANGES: Guidance(
        rank=5,
        who="Your GP or a physiotherapist",
        when="Soon, and the same day if it is spreading",
        advice=(
            "New or worsening numbness, tingling or weakness should be checked before you stretch, "
            "as stretching can irritate a nerve further. See your GP or a physiotherapist within "
            "the next few days, and the same day if it is spreading. Go to an emergency department "
            "today if weakness is getting quickly worse, or you feel numb around your groin."
        ),
    ),
}


def guidance_for(warning_signs: list[str]) -> list[tuple[str, Guidance]]:
    """(the sign's label, its guidance) for each ticked sign, the most urgent first."""
    signs = [WarningSign(value) for value in WarningSign.values if value in warning_signs]
    return [(sign.label, GUIDANCE[sign]) for sign in sorted(signs, key=lambda sign: GUIDANCE[sign].rank)]


# --- Rules that read the answers ------------------------------------------------------------


def screening_status(user, now: datetime | None = None) -> ScreeningStatus:
    """- due: never answered, answered more than SCREENING_VALID_DAYS ago, or asked again
      (`screening_due_reason`, after a session with high pain or a red flag);
    - see_clinician: a warning sign, and no clearance confirmed since it was first answered;
    - done: otherwise."""
    now = now or timezone.now()
    if (
        user.screened_at is None
        or user.screening_due_reason
        or user.screened_at <= now - timedelta(days=SCREENING_VALID_DAYS)
    ):
        return ScreeningStatus.DUE
    if user.warning_signs and user.cleared_at is None:
        return ScreeningStatus.SEE_CLINICIAN
    return ScreeningStatus.DONE


def screening_due_why(user, now: datetime | None = None) -> str:
    """Why a person who answered before is asked again, in a sentence; "" when they are not."""
    if user.screened_at is None:
        return ""
    if user.screening_due_reason:
        return user.screening_due_reason
    if screening_status(user, now) == ScreeningStatus.DUE:
        answered = timezone.localdate(user.screened_at, user.zone)
        return (
            f"We ask every {SCREENING_VALID_DAYS} days, and you last answered on "
            f"{answered.day} {answered:%B %Y}."
        )
    return ""


def can_confirm_unchanged(user) -> bool:
    """Whether one tap ("Nothing has changed") may confirm the last answers. Not after a session
    that raised a red flag or high pain (`screening_due_reason`): what was reported then may be a
    sign to get checked first, so the person goes through the questions again. Not for answers
    given before the warning signs were asked (tier1_answered)."""
    return tier1_answered(user) and not user.screening_due_reason


def tier1_answered(user) -> bool:
    """False for answers kept from the screening before the warning signs were asked
    (`warning_signs` is empty then, not a list): "nothing has changed" cannot confirm those."""
    return user.screened_at is not None and user.warning_signs is not None


def pregnancy_week_now(user, now: datetime | None = None) -> int | None:
    """The week of pregnancy today, counted on from the week given with the last answers."""
    if Tier2.PREGNANCY not in user.tier2_answers or user.pregnancy_week is None:
        return None
    now = now or timezone.now()
    weeks_since = (now - (user.screened_at or now)).days // 7
    return min(PREGNANCY_WEEKS, user.pregnancy_week + max(0, weeks_since))


def conditions_for(user, now: datetime | None = None) -> set[str]:
    """The exercise library's condition tags that apply to the person: their tier-2 answers,
    `pregnancy_later` from about week 16, and `area_<area>` for each area that hurts now or had
    recent surgery. Empty for visitors and people not screened yet.

    `now` is when to count a pregnancy's week at (today by default); `now=user.screened_at`
    gives the conditions as the person answered them."""
    if not getattr(user, "is_authenticated", False) or user.screened_at is None:
        return set()
    conditions = {value for value in user.tier2_answers if value in Tier2.values}
    if Tier2.PREGNANCY in conditions:
        conditions |= pregnancy_conditions(week=pregnancy_week_now(user, now))
    areas = {*user.pain_areas, *user.surgery_areas}
    conditions.update(f"area_{area}" for area in Area.values if area in areas)
    return conditions


def tier2_summary(user) -> list[str]:
    """The tier-2 answers as lines a person or their trainer reads; [] for "none of these"."""
    lines = []
    for value in user.tier2_answers:
        if value not in Tier2.values:
            continue
        if value == Tier2.PREGNANCY:
            week = pregnancy_week_now(user)
            lines.append(f"Pregnancy, about week {week} now" if week else Tier2.PREGNANCY.label)
        else:
            lines.append(Tier2(value).label)
    for label, areas in (
        ("Surgery in the last 12 months", user.surgery_areas),
        ("Pain now", user.pain_areas),
    ):
        if areas:
            names = [Area(value).label.lower() for value in Area.values if value in areas]
            lines.append(f"{label}: {', '.join(names)}")
    return lines


def warning_sign_labels(user) -> list[str]:
    return [WarningSign(value).label for value in WarningSign.values if value in (user.warning_signs or [])]
