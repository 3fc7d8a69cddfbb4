import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0006_email_preferences"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="warning_signs",
            field=models.JSONField(blank=True, default=list, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="tier2_answers",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="user",
            name="pregnancy_week",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(42),
                ],
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="surgery_areas",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="user",
            name="pain_areas",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="user",
            name="cleared_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="screening_due_reason",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("pregnancy_week__isnull", True))
                | models.Q(("pregnancy_week__gte", 1), ("pregnancy_week__lte", 42)),
                name="user_pregnancy_week_range",
            ),
        ),
    ]
