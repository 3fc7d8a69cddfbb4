# ReminderSchedule and Delivery, moved here from the progress app with their tables
# (progress_reminderschedule, progress_delivery, created by progress 0003): state only, so every
# row stays. Their content types move with them, so staff permissions and admin history follow.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import accounts.models

MOVED = ["reminderschedule", "delivery"]


def content_types_move(apps, schema_editor, source="progress", target="notifications"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=target, model__in=MOVED).values_list("model", flat=True))
    ContentType.objects.filter(app_label=source, model__in=set(MOVED) - taken).update(app_label=target)


def content_types_move_back(apps, schema_editor):
    content_types_move(apps, schema_editor, source="notifications", target="progress")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("coaching", "0001_initial"),
        ("progress", "0004_emails_to_notifications"),
        ("routines", "0002_routines"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReminderSchedule",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("weekdays", models.JSONField(default=list, help_text="0 = Monday … 6 = Sunday.", validators=[accounts.models.validate_weekdays])),
                        ("local_time", models.TimeField()),
                        ("enabled", models.BooleanField(default=True)),
                        ("next_due_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("assignment", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="reminder_schedule", to="coaching.assignment")),
                        ("routine", models.ForeignKey(blank=True, help_text="Empty: a general reminder, for the routine played last (or once its routine is gone).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="reminder_schedules", to="routines.routine")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reminder_schedules", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "progress_reminderschedule",
                        "ordering": ["local_time", "pk"],
                        "indexes": [models.Index(condition=models.Q(("enabled", True)), fields=["next_due_at"], name="reminder_due")],
                    },
                ),
                migrations.CreateModel(
                    name="Delivery",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("to_email", models.EmailField(blank=True, help_text="For invitations: the invited address.", max_length=254)),
                        ("kind", models.CharField(choices=[("reminder", "Reminder"), ("weekly_summary", "Weekly summary"), ("trainer_digest", "Trainer digest"), ("red_flag_alert", "Red-flag alert"), ("invitation", "Invitation")], max_length=20)),
                        ("period_key", models.CharField(max_length=80)),
                        ("context", models.JSONField(blank=True, default=dict)),
                        ("status", models.CharField(choices=[("pending", "Pending"), ("sending", "Sending"), ("sent", "Sent"), ("failed", "Failed"), ("skipped", "Skipped"), ("missed", "Missed")], default="pending", max_length=10)),
                        ("due_at", models.DateTimeField(help_text="When it was meant to go out.")),
                        ("lease_until", models.DateTimeField(blank=True, null=True)),
                        ("retry_at", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("last_error", models.TextField(blank=True)),
                        ("reason", models.CharField(blank=True, help_text="Why it was skipped or missed.", max_length=200)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="deliveries", to=settings.AUTH_USER_MODEL)),
                        ("schedule", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="deliveries", to="notifications.reminderschedule")),
                    ],
                    options={
                        "db_table": "progress_delivery",
                        "verbose_name_plural": "deliveries",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(condition=models.Q(("status__in", ["pending", "sending"])), fields=["lease_until"], name="delivery_unfinished"),
                            models.Index(fields=["status", "-created_at"], name="delivery_status_newest"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("user", "kind", "period_key"), name="delivery_once_per_period"),
                            models.UniqueConstraint(condition=models.Q(("user", None)), fields=("to_email", "kind", "period_key"), name="delivery_once_per_address"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move, content_types_move_back, elidable=True),
    ]
