from django.db import migrations

from core.models import unindexed_publication_fields


def _fields():
    status, published_at = unindexed_publication_fields()
    return {"status": status, "published_at": published_at}


class Migration(migrations.Migration):
    """Findings and recommendations drop their single-column status and publication-time indexes.

    The covering indexes of 0004 serve those lookups on PostgreSQL; the single-column ones made
    the planner AND a bitmap of every public row into each full-text search (core/models.py).
    """

    dependencies = [("findings", "0004_public_list_indexes")]

    operations = [
        migrations.AlterField(model_name=model, name=name, field=field)
        for model in ("finding", "historicalfinding", "recommendation", "historicalrecommendation")
        for name, field in _fields().items()
    ]
