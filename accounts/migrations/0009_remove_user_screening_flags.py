from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_screening_from_old_answers"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="user",
            name="screening_flags",
        ),
    ]
