from django.db import migrations

from core.search import add_stored_search_vectors


class Migration(migrations.Migration):
    """Stored, weighted search vectors for findings and recommendations (PostgreSQL only)."""

    dependencies = [("findings", "0002_search_indexes")]

    operations = [
        add_stored_search_vectors("findings", "Finding", "finding", ("title", "summary", "body")),
        add_stored_search_vectors("findings", "Recommendation", "recommendation", ("title", "body")),
    ]
