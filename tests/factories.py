from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from coaching.models import TrainerClient
from progress.models import ExerciseLog, SessionLog
from progress.rollups import rollups_rebuild
from progress.selectors import local_today
from routines.models import Equipment, Exercise, ExerciseStep, Muscle, Routine, RoutineItem

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who has answered the safety screening just now, "none of these" in both tiers, so
    the player is open to them. Pass screened_at=None for someone who has not answered yet."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("first_name")
    time_zone = "Europe/London"
    password = factory.django.Password(PASSWORD)
    screened_at = factory.LazyFunction(timezone.now)
    warning_signs = factory.LazyFunction(list)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs) -> None:
        """Users can log in at once unless built with verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class TrainerFactory(UserFactory):
    is_trainer = True
    display_name = factory.Sequence(lambda n: f"Coach {n}")


class TrainerClientFactory(factory.django.DjangoModelFactory):
    """An accepted link, sharing everything; pass status=INVITED and client=None for an invitation."""

    class Meta:
        model = TrainerClient

    trainer = factory.SubFactory(TrainerFactory)
    client = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda link: link.client.email if link.client else "invited@example.com")
    status = TrainerClient.Status.ACTIVE
    invite_nonce = factory.Faker("hexify", text="^" * 32)
    invited_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    accepted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=28))


def assignment_create(link, *, exercises=None, weekdays=(0, 1, 2, 3, 4, 5, 6), starts_on=None, **fields):
    """The trainer assigns a routine of theirs (made here) to the link's client, as the service does."""
    from coaching.services import routine_assign

    routine = RoutineFactory(owner=link.trainer, title=fields.pop("title", "Desk reset"), exercises=exercises)
    [assignment] = routine_assign(
        routine=routine,
        links=[link],
        weekdays=list(weekdays),
        starts_on=starts_on or link.accepted_at.date() - timedelta(days=30),
        ends_on=fields.pop("ends_on", None),
        instructions=fields.pop("instructions", ""),
    )
    return assignment


class MuscleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Muscle
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"muscle-{n}")
    name = factory.Sequence(lambda n: f"Muscle {n}")


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"equipment-{n}")
    name = factory.Sequence(lambda n: f"Equipment {n}")


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"exercise-{n}")
    name = factory.Sequence(lambda n: f"Exercise {n}")
    kind = Exercise.Kind.STRETCH
    summary = "A gentle stretch for the upper back."
    purpose = "Eases stiffness between the shoulder blades."
    body_position = "Seated"
    hold_seconds = 20
    reps = 2
    sets = 1
    breathing_cue = "Breathe out slowly as you ease in."
    common_mistakes = "Shrugging the shoulders"
    safety_notes = "Stop if it hurts."

    @factory.post_generation
    def targets(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.targets.set(extracted if extracted is not None else [MuscleFactory(slug="rhomboids")])

    @factory.post_generation
    def equipment(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.equipment.set(extracted)

    @factory.post_generation
    def steps(self, create: bool, extracted, **kwargs) -> None:
        if create:
            for order, text in enumerate(extracted or ["Sit tall.", "Reach forward."], start=1):
                ExerciseStep.objects.create(exercise=self, order=order, text=text)


def exercise_family(family: str, *names: str, **fields) -> list[Exercise]:
    """Exercises of one family, easiest first: levels 1, 2, … in the order of `names`. Each takes
    a dose of its own (reps 8, 10, 12, …) so a step shows in the item's dose too."""
    return [
        ExerciseFactory(name=name, family=family, level=level, reps=6 + 2 * level, **fields)
        for level, name in enumerate(names, start=1)
    ]


def avoid(*instead: str, why: str = "It does not suit this condition.") -> dict:
    """An exercise's verdict for a condition: unsuitable, with its alternatives' slugs, best first."""
    return {"verdict": "avoid", "why": why, "instead": list(instead)}


@dataclass
class SwapExercises:
    childs_pose: Exercise
    elbows: Exercise
    seated: Exercise


def swap_exercises() -> SwapExercises:
    """The library's example of a swap, as factory rows: child's pose is unsuitable for low bone
    density and for a sore hip or knee, with lying on your elbows instead; lying on your elbows is
    unsuitable in pregnancy, with the seated extension instead."""
    seated = ExerciseFactory(slug="seated-thoracic-extension", name="Seated upper-back extension")
    elbows = ExerciseFactory(
        slug="prone-on-elbows",
        name="Lying on your elbows",
        hold_seconds=30,
        reps=2,
        suitability={"pregnancy": avoid(seated.slug, why="Lying on your front presses on your belly.")},
    )
    childs_pose = ExerciseFactory(
        slug="childs-pose",
        name="Child's pose",
        hold_seconds=45,
        reps=1,
        suitability={
            "osteoporosis": avoid(elbows.slug, why="It holds your spine fully rounded."),
            "area_hip_knee": avoid(elbows.slug, why="Kneeling presses on sore knees and hips."),
        },
    )
    return SwapExercises(childs_pose=childs_pose, elbows=elbows, seated=seated)


class RoutineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Routine
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Routine {n}")
    description = "A few gentle stretches."

    @factory.post_generation
    def exercises(self, create: bool, extracted, **kwargs) -> None:
        """RoutineFactory(exercises=[e1, e2]) adds them in order with their defaults."""
        for order, exercise in enumerate(extracted or [], start=1):
            RoutineItemFactory(routine=self, exercise=exercise, order=order)


class StarterRoutineFactory(RoutineFactory):
    owner = None
    visibility = Routine.Visibility.STARTER
    slug = factory.Sequence(lambda n: f"starter-{n}")


class RoutineItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutineItem

    routine = factory.SubFactory(RoutineFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    order = factory.Sequence(lambda n: n + 1)
    hold_seconds = factory.SelfAttribute("exercise.hold_seconds")
    reps = factory.SelfAttribute("exercise.reps")
    sets = factory.SelfAttribute("exercise.sets")
    per_side = factory.SelfAttribute("exercise.per_side")


def session_logs_bulk_create(user, count: int, exercises, *, routine=None, last_day=None) -> None:
    """`count` daily sessions ending today (or `last_day`), each with every exercise, of `routine`
    if given: fast enough for thousands."""
    today = last_day or local_today(user)
    sessions = []
    for offset in range(count):
        day = today - timedelta(days=offset)
        started = datetime.combine(day, time(8), tzinfo=user.zone).astimezone(UTC)
        sessions.append(
            SessionLog(
                user=user,
                started_at=started,
                finished_at=started + timedelta(minutes=12),
                local_date=day,
                tightness_before=6,
                tightness_after=3 + offset % 3,
                pain=0,
                routine=routine,
                routine_title=routine.title if routine else "Desk break",
            )
        )
    SessionLog.objects.bulk_create(sessions, batch_size=500)
    ExerciseLog.objects.bulk_create(
        [
            ExerciseLog(session=s, exercise=e, order=i, seconds=30, reps=1)
            for s in sessions
            for i, e in enumerate(exercises, 1)
        ],
        batch_size=1000,
    )
    rollups_rebuild(user_ids=[user.pk])  # bulk inserts bypass the services that keep them
