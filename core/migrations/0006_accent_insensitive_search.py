"""Accent-insensitive search configurations (PostgreSQL only): `atlas_english` and `atlas_french`
are PostgreSQL's own with `unaccent` before the stemmer, so reglementation finds réglementation and
energie finds énergie. `unaccent` is a trusted extension: the database owner may create it."""

from django.db import migrations

MAPPED = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, stemmer in (("atlas_english", "english"), ("atlas_french", "french")):
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {stemmer})")
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR {MAPPED} WITH unaccent, {stemmer}_stem"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("atlas_english", "atlas_french"):
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_korean_words_translation_status")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
