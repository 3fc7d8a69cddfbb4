# The reminder schedules and the outbox moved to the notifications app. Their tables stay where
# they are (notifications.models names them with db_table), so no row moves: this only takes
# them out of progress's model state; notifications/migrations/0001_initial.py adds them there.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0003_email_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Delivery"),
                migrations.DeleteModel(name="ReminderSchedule"),
            ],
            database_operations=[],
        ),
    ]
