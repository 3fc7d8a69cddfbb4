# Routines adapted to the person who does them: an item remembers the exercise it replaced and
# the condition that made it unsuitable, or that the person kept the original after reading why.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('routines', '0004_exercise_retirement'),
    ]

    operations = [
        migrations.AddField(
            model_name='routineitem',
            name='kept_original_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='routineitem',
            name='swap_reason',
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name='routineitem',
            name='swapped_from',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='routines.exercise'),
        ),
        migrations.AddConstraint(
            model_name='routineitem',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kept_original_at__isnull', True), ('swap_reason', ''), ('swapped_from__isnull', True)), models.Q(('kept_original_at__isnull', True), ('swapped_from__isnull', False), models.Q(('swap_reason', ''), _negated=True)), models.Q(('kept_original_at__isnull', False), ('swapped_from__isnull', True), models.Q(('swap_reason', ''), _negated=True)), _connector='OR'), name='routine_item_swap_or_kept_has_reason'),
        ),
    ]
