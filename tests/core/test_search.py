"""Full-text search at scale on PostgreSQL: indexes used, vectors kept current, ranking, Korean."""

import re

import pytest
from django.db import connection

from core.search import search_filter
from demo.corpus import corpus_generate
from dialogue.models import DIALOGUE_SEARCH_FIELDS, Dialogue
from findings.models import FINDING_SEARCH_FIELDS, RECOMMENDATION_SEARCH_FIELDS, Finding, Recommendation
from findings.selectors import finding_list_public
from tests.dialogue.factories import DialogueFactory
from tests.findings.factories import FindingFactory, RecommendationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _plan(queryset) -> str:
    # A test table is tiny, so the planner would rightly scan it; forbid that to see the index path.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def _found(text: str, language: str = "en") -> set[int]:
    queryset = search_filter(
        Finding.objects.all(), text=text, fields=FINDING_SEARCH_FIELDS, language=language
    )
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize(("text", "language"), [("hydrogen", "en"), ("hydrogène", "fr"), ("수소", "ko")])
def test_finding_search_reads_the_gin_index_of_every_language(text, language):
    FindingFactory.create_batch(5)
    plan = _plan(
        search_filter(Finding.objects.all(), text=text, fields=FINDING_SEARCH_FIELDS, language=language)
    )
    for lang in ("en", "fr", "ko"):
        assert f"Bitmap Index Scan on finding_fts_{lang}" in plan, plan
    assert not re.search(r"Seq Scan on findings_finding\b", plan), plan


def test_the_public_search_reads_the_indexes_in_a_corpus():
    corpus_generate(findings=2000, seed=11)
    with connection.cursor() as cursor:
        # What the generator's VACUUM does outside a test transaction: merge the GIN pending lists
        # (their size is part of the index's cost) and refresh the statistics.
        for lang in ("en", "fr", "ko"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [f"finding_fts_{lang}"])
        cursor.execute("ANALYZE")
    for text, language in [("offshore wind", "en"), ("éolien en mer", "fr"), ("해상풍력", "ko")]:
        queryset = search_filter(
            finding_list_public(), text=text, fields=FINDING_SEARCH_FIELDS, language=language
        )
        plan = _plan(queryset)
        assert f"Bitmap Index Scan on finding_fts_{language}" in plan, plan
        assert queryset.exists()


def test_recommendation_and_dialogue_searches_read_their_indexes():
    RecommendationFactory.create_batch(3)
    plan = _plan(
        search_filter(
            Recommendation.objects.all(), text="data", fields=RECOMMENDATION_SEARCH_FIELDS, language="en"
        )
    )
    assert "Bitmap Index Scan on recommendation_fts_en" in plan, plan
    plan = _plan(
        search_filter(Dialogue.objects.all(), text="서울", fields=DIALOGUE_SEARCH_FIELDS, language="ko")
    )
    assert "Bitmap Index Scan on dialogue_fts_ko" in plan, plan


def test_the_stored_vectors_follow_every_kind_of_write():
    finding = FindingFactory(title_en="Hydrogen corridors", title_fr="Corridors d’hydrogène")
    assert finding.pk in _found("corridors")
    finding.title_en = "Offshore wind farms"
    finding.save()
    assert finding.pk in _found("offshore") and finding.pk not in _found("corridors", "en") - _found(
        "corridors", "fr"
    )
    Finding.objects.filter(pk=finding.pk).update(body_fr="Les parcs éoliens en mer du Nord.")
    assert finding.pk in _found("éoliens", "fr")
    [created] = Finding.objects.bulk_create(
        [Finding(dialogue=finding.dialogue, title_en="Tidal power", title_ko="조력 발전을 위한 협력")]
    )
    assert created.pk in _found("조력", "ko") and created.pk in _found("tidal")


def test_the_readers_language_ranks_first():
    english_match = FindingFactory(title_en="The energy transition", title_fr="Le passage énergétique")
    french_match = FindingFactory(title_en="The energy shift", title_fr="La transition énergétique")

    def ranked(language):
        queryset = search_filter(
            finding_list_public(), text="transition", fields=FINDING_SEARCH_FIELDS, language=language
        )
        return list(queryset.values_list("pk", flat=True))

    assert ranked("en") == [english_match.pk, french_match.pk]
    assert ranked("fr") == [french_match.pk, english_match.pk]


def test_a_title_match_ranks_above_a_body_match():
    in_body = FindingFactory(title_en="Regional cooperation", body_en="Notes on semiconductors and more.")
    in_title = FindingFactory(title_en="Semiconductors", body_en="Notes on regional cooperation.")
    queryset = search_filter(
        finding_list_public(), text="semiconductors", fields=FINDING_SEARCH_FIELDS, language="en"
    )
    assert list(queryset.values_list("pk", flat=True)) == [in_title.pk, in_body.pk]


def test_korean_words_match_with_their_particles_attached_across_a_corpus():
    corpus_generate(findings=300, seed=7)
    queryset = search_filter(
        finding_list_public(), text="캐나다", fields=FINDING_SEARCH_FIELDS, language="ko"
    )
    found = set(queryset.values_list("pk", flat=True))
    expected = {
        finding.pk
        for finding in finding_list_public()
        if any(
            word.startswith("캐나다")
            for field in FINDING_SEARCH_FIELDS
            for word in re.split(r"[\s.,]+", getattr(finding, f"{field}_ko") or "")
        )
    }
    assert found == expected and len(found) > 20
    texts = " ".join(f"{f.title_ko} {f.summary_ko} {f.body_ko}" for f in Finding.objects.filter(pk__in=found))
    assert "캐나다와" in texts and "캐나다의" in texts  # the particles stay attached, and still match


def test_an_unrelated_dialogue_does_not_match():
    DialogueFactory(title_en="Fisheries and oceans")
    assert not search_filter(
        Dialogue.objects.all(), text="semiconductors", fields=DIALOGUE_SEARCH_FIELDS, language="en"
    ).exists()


def test_the_public_list_indexes_exist():
    """Their effect shows at scale only (make bench); here, that the migrations built them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_idx'")
        indexes = dict(cursor.fetchall())
    assert (
        "(status, published_at) INCLUDE (id, dialogue_id, kind, perspective)"
        in indexes["finding_public_list_idx"]
    )
    assert "INCLUDE (id, dialogue_id, current_status" in indexes["recommendation_public_list_idx"]
    assert "(start_date DESC, id)" in indexes["dialogue_start_date_idx"]


def test_no_single_column_publication_index_lures_searches_into_reading_every_public_row():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN "
            "('findings_finding', 'findings_recommendation')"
        )
        definitions = cursor.fetchall()
    for table, definition in definitions:
        columns = re.search(r"\((.*?)\)", definition).group(1)
        assert columns not in ("status", "published_at", "status varchar_pattern_ops"), (table, definition)
