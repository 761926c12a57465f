"""How search treats Korean (Kiwi's morphemes) and French and English (accents ignored), on
records made for the test. PostgreSQL only: SQLite keeps its substring search."""

import pytest

from core.korean import korean_word_add
from core.search import _korean_tsquery, search_filter
from findings.models import FINDING_SEARCH_FIELDS, Finding
from findings.selectors import finding_list_public
from tests.findings.factories import FindingFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _finding(title_ko: str = "", **fields) -> Finding:
    return FindingFactory(title_ko=title_ko, summary_ko=fields.pop("summary_ko", ""), **fields)


def _found(text: str, language: str = "ko") -> list[int]:
    queryset = search_filter(
        finding_list_public(), text=text, fields=FINDING_SEARCH_FIELDS, language=language
    )
    return list(queryset.values_list("pk", flat=True))


def test_korea_does_not_find_the_korean_language():
    korea = _finding("한국과 캐나다의 협력")
    language = _finding("한국어 교육 확대")
    assert korea.pk in _found("한국")
    assert language.pk not in _found("한국")


def test_a_part_of_a_compound_finds_the_compound():
    centre = _finding("데이터센터에 필요한 전력")
    assert _found("센터") == [centre.pk]
    assert _found("데이터센터") == [centre.pk]


def test_words_with_particles_find_every_record_with_the_noun():
    records = [
        _finding("캐나다"),
        _finding("캐나다와 한국"),
        _finding("캐나다의 에너지"),
        _finding("캐나다는 협력했다"),
    ]
    _finding("미국의 정책")
    expected = sorted(record.pk for record in records)
    assert sorted(_found("캐나다와")) == expected
    assert sorted(_found("캐나다의")) == expected


def test_an_object_particle_finds_a_genitive():
    energy = _finding("에너지의 안보")
    assert _found("에너지를") == [energy.pk]


def test_a_dictionary_compound_with_a_particle_finds_the_compound():
    ai = _finding("인공지능 규범")
    chips = _finding("AI 반도체 공급망")
    assert _found("인공지능의") == [ai.pk]
    assert _found("반도체를") == [chips.pk]


def test_the_exact_compound_ranks_first():
    apart = _finding("인공 지능에 대한 논의", summary_ko="인공 지능")
    compound = _finding("인공지능에 대한 논의", summary_ko="인공 지능")
    assert _found("인공지능") == [compound.pk, apart.pk]


def test_a_query_without_content_morphemes_falls_back_to_prefixes():
    # Kiwi reads 에서 and 까지 as particles alone: nothing of content to look for.
    assert _korean_tsquery(["에서", "까지"]) == "'에서':* & '까지':*"
    assert _korean_tsquery(["캐나다와"]) == "'캐나다'"
    assert _found("에서 까지") == []


def test_an_analysts_word_is_kept_whole_and_reindexes_the_records_that_contain_it():
    record = _finding("수소환원제철 기술")
    assert "수소환원제철" not in record.search_ko.split()
    assert korean_word_add(word="수소환원제철") == 1
    record.refresh_from_db()
    assert "수소환원제철" in record.search_ko.split()
    assert _found("수소환원제철") == [record.pk]
    assert record.pk in _found("제철")


@pytest.mark.parametrize(
    ("text", "language", "stored"),
    [
        ("energie", "fr", {"title_fr": "La transition de l’énergie"}),
        ("reglementation", "fr", {"title_fr": "Une réglementation commune"}),
        ("cafe", "en", {"title_en": "Café diplomacy"}),
    ],
)
def test_accents_are_ignored_in_french_and_english(text, language, stored):
    neutral = {"title_en": "Cooperation", "title_fr": "Coopération", "summary_en": "", "summary_fr": ""}
    record = FindingFactory(**(neutral | stored))
    FindingFactory(**neutral)
    assert _found(text, language) == [record.pk]


def test_bulk_writes_keep_the_korean_morphemes():
    [created] = Finding.objects.bulk_create(
        [Finding(dialogue=FindingFactory().dialogue, title_en="Tidal power", title_ko="조력발전을 위한 협력")]
    )
    assert created.pk in set(
        search_filter(
            Finding.objects.all(), text="협력을", fields=FINDING_SEARCH_FIELDS, language="ko"
        ).values_list("pk", flat=True)
    )
    Finding.objects.filter(pk=created.pk).update(title_ko="해상풍력의 미래")
    assert created.pk in set(
        search_filter(
            Finding.objects.all(), text="미래가", fields=FINDING_SEARCH_FIELDS, language="ko"
        ).values_list("pk", flat=True)
    )
