# The Notification model moves to the notifications app (notifications 0001). Only Django's
# picture of the models changes: the table tickets_notification, its rows, indexes and
# constraint stay exactly as they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0008_detail_lower_trigram_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
