from django.db import migrations

from core.search import add_stored_search_vectors


class Migration(migrations.Migration):
    """Stored, weighted search vectors for dialogues (PostgreSQL only)."""

    dependencies = [("dialogue", "0002_search_indexes")]

    operations = [
        add_stored_search_vectors("dialogue", "Dialogue", "dialogue", ("title", "summary", "context")),
    ]
