from django.db import migrations

from core.search import add_search_indexes
from dialogue.models import DIALOGUE_SEARCH_FIELDS


class Migration(migrations.Migration):
    dependencies = [("dialogue", "0001_initial")]

    operations = [add_search_indexes("dialogue", "Dialogue", "dialogue", DIALOGUE_SEARCH_FIELDS)]
