from django.db import migrations

from core.search import add_search_indexes
from findings.models import FINDING_SEARCH_FIELDS, RECOMMENDATION_SEARCH_FIELDS


class Migration(migrations.Migration):
    dependencies = [("findings", "0001_initial")]

    operations = [
        add_search_indexes("findings", "Finding", "finding", FINDING_SEARCH_FIELDS),
        add_search_indexes("findings", "Recommendation", "recommendation", RECOMMENDATION_SEARCH_FIELDS),
    ]
