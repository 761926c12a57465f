"""The table of the rate-limit counters (core/ratelimit.py), when they are kept in the database.

Created here rather than by `createcachetable`, so that nothing else must remember to run; and
in the database only (no model in the project state): the counters are not content, and the
backup, the admin and the ORM have nothing to do with them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_public_change_held_since"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.CreateModel(
                    name="RateLimitCounter",
                    fields=[
                        ("cache_key", models.CharField(max_length=255, primary_key=True, serialize=False)),
                        ("hits", models.BigIntegerField()),
                        ("expires", models.DateTimeField(db_index=True)),
                    ],
                    options={"db_table": "core_ratelimit_counter"},
                ),
            ],
            state_operations=[],
        ),
    ]
