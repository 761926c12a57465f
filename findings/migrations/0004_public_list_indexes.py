from django.db import migrations

# Every public list counts and facets the public rows (status published, published_at passed):
# an index holding what those queries read lets PostgreSQL answer them from the index alone
# instead of scanning the wide table (at 100,000 findings: a count went from ~470 ms to ~90 ms).
# PostgreSQL only (INCLUDE), and outside the model state like the search indexes.
INDEXES = {
    "finding_public_list_idx": (
        "findings_finding",
        "(status, published_at) INCLUDE (id, dialogue_id, kind, perspective)",
    ),
    "recommendation_public_list_idx": (
        "findings_recommendation",
        "(status, published_at) INCLUDE (id, dialogue_id, current_status, priority, horizon)",
    ),
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, columns) in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    """Covering indexes for counts and facets of the public finding and recommendation lists."""

    dependencies = [("findings", "0003_stored_search_vectors")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
