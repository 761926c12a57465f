from django.db import migrations, models

from core.search import use_korean_morphemes


class Migration(migrations.Migration):
    """Korean search by morphemes (Kiwi) and accent-insensitive English and French for dialogues:
    the stored vectors are rebuilt, the Korean morphemes analysed (PostgreSQL only)."""

    dependencies = [
        ("dialogue", "0004_public_list_indexes"),
        ("core", "0006_accent_insensitive_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="dialogue",
            name="search_ko",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Filled on save.",
                verbose_name="Korean search morphemes",
            ),
        ),
        use_korean_morphemes("dialogue", "Dialogue", ("title", "summary", "context")),
    ]
