# A retired exercise is never offered again but keeps its row, so the session logs that name it
# stay readable; `load_library` retires the entries the file marks `retired: {reason: …}`.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('routines', '0003_exercise_suitability_replaces_contraindications'),
    ]

    operations = [
        migrations.AddField(
            model_name='exercise',
            name='retired_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='exercise',
            name='retired_reason',
            field=models.TextField(blank=True, help_text='Why the exercise is no longer offered.'),
        ),
    ]
