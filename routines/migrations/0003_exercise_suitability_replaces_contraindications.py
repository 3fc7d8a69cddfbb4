# Each exercise says per condition whether it is fine, fine with a change, or unsuitable
# (routines/suitability.py); the contraindication tags it replaces are dropped. `load_library`
# fills in the verdicts from the shipped file: every shipped entry's content changed, so each is
# rewritten on the next load. Exercises that staff edited keep their edits and have no verdicts
# until an editor adds them in the admin or resets them to the library version.

import routines.suitability
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('routines', '0002_routines'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='exercise',
            name='contraindications',
        ),
        migrations.AddField(
            model_name='exercise',
            name='suitability',
            field=models.JSONField(blank=True, default=dict, help_text='Per condition: modify (with how) or avoid (with why and instead).', validators=[routines.suitability.validate_suitability]),
        ),
    ]
