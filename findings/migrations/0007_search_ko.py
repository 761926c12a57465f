from django.db import migrations, models

from core.search import use_korean_morphemes


class Migration(migrations.Migration):
    """Korean search by morphemes (Kiwi) and accent-insensitive English and French for findings and
    recommendations: the stored vectors are rebuilt, the Korean morphemes analysed (PostgreSQL only)."""

    dependencies = [
        ("findings", "0006_dialogue_list_indexes"),
        ("core", "0006_accent_insensitive_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="search_ko",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Filled on save.",
                verbose_name="Korean search morphemes",
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="search_ko",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Filled on save.",
                verbose_name="Korean search morphemes",
            ),
        ),
        use_korean_morphemes("findings", "Finding", ("title", "summary", "body")),
        use_korean_morphemes("findings", "Recommendation", ("title", "body")),
    ]
