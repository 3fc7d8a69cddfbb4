# The player's "Stop: something feels wrong" (stopped_early, stop_reason) and five more red flags
# (progress.models.RED_FLAGS). Every column has a default, so sessions already logged read as
# before: none of the new flags, not stopped.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0004_emails_to_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionlog",
            name="chest_symptoms",
            field=models.BooleanField(default=False, verbose_name="chest pain or breathlessness"),
        ),
        migrations.AddField(
            model_name="sessionlog",
            name="bladder_bowel",
            field=models.BooleanField(default=False, verbose_name="changes in bladder or bowel control"),
        ),
        migrations.AddField(
            model_name="sessionlog",
            name="leg_weakness",
            field=models.BooleanField(default=False, verbose_name="leg weakness or loss of balance"),
        ),
        migrations.AddField(
            model_name="sessionlog",
            name="dizziness",
            field=models.BooleanField(default=False, verbose_name="dizziness or feeling faint"),
        ),
        migrations.AddField(
            model_name="sessionlog",
            name="arm_pain",
            field=models.BooleanField(default=False, verbose_name="pain spreading down an arm"),
        ),
        migrations.AddField(
            model_name="sessionlog",
            name="stopped_early",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="sessionlog",
            name="stop_reason",
            field=models.TextField(blank=True),
        ),
    ]
