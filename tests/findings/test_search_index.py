"""The findings list's in-memory search index (core.textindex, findings.selectors.indexed): the same
matches, order and facet counts as PostgreSQL, current after every change, never a hidden record."""

import datetime as dt
import random
import re

import pytest
from django.utils import translation

from core import textindex
from core.changes import publish_due, record_versions
from core.search import SearchQueryTooLong
from core.textindex import Unsupported, entry_rank, parse_tsquery
from demo.corpus import corpus_generate
from dialogue.selectors import dialogue_list_public_bare, theme_list_public
from findings.filters import FindingFilterSet
from findings.models import Finding
from findings.selectors import finding_facet_counts_public, finding_search_indexed
from findings.selectors.indexed import FINDINGS
from tests.dialogue.factories import DialogueFactory, ThemeFactory
from tests.findings.factories import FindingFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
FACETS = ("theme", "dialogue", "kind", "perspective")
WORD = {
    "en": re.compile(r"[^\W\d_]{4,}"),
    "fr": re.compile(r"[^\W\d_]{4,}"),
    "ko": re.compile(r"[가-힣]{2,}"),
}


def _both(params: dict, language: str):
    """(PostgreSQL's ids and facet counts, the index's) for the list's filters `params`."""
    with translation.override(language):
        filterset = FindingFilterSet(params)
        assert filterset.is_valid(), filterset.errors
        expected = list(filterset.qs.values_list("pk", flat=True))
        counts = finding_facet_counts_public(matching=filterset.queryset_without)
        found = finding_search_indexed(
            text=params["q"],
            language=language,
            filters={name: filterset.form.cleaned_data.get(name) for name in FACETS},
            themes=list(theme_list_public()),
            dialogues=list(dialogue_list_public_bare()),
        )
    assert found is not None
    return (expected, counts), (found.ranked(), found.counts)


def _queries(count: int, seed: int):
    rng = random.Random(seed)
    rows = list(
        Finding.objects.public().values("title_en", "summary_en", "title_fr", "summary_fr", "title_ko")
    )
    for _ in range(count):
        row, language = rng.choice(rows), rng.choice(("en", "fr", "ko"))
        text = f"{row[f'title_{language}']} {row.get(f'summary_{language}', '')}"
        words = sorted(set(WORD[language].findall(text)))
        if len(words) >= 2:
            yield " ".join(rng.sample(words, 2)), language


def test_the_index_finds_ranks_and_counts_as_postgresql_does():
    corpus_generate(findings=1200, seed=7)
    checked = 0
    for text, language in _queries(60, seed=3):
        (expected, counts), (ids, found_counts) = _both({"q": text}, language)
        assert ids == expected, (text, language)
        assert found_counts == counts, (text, language)
        checked += bool(expected)
    # A page sorts only what can reach it, ties included: the same first 1, 20 and 40.
    text, language = "cooperation energy", "en"
    (expected, _counts), _found = _both({"q": text}, language)
    with translation.override(language):
        found = finding_search_indexed(text=text, language=language, filters={}, themes=[], dialogues=[])
    assert len(expected) > 60
    for stop in (1, 20, 40):
        assert found.ranked(stop) == expected[:stop]
    assert checked > 40
    # With facets chosen: each facet counts over the other filters, as the database does.
    theme = theme_list_public().filter(parent__isnull=True).order_by("pk").first()
    dialogue = dialogue_list_public_bare().order_by("pk").first()
    for params in (
        {"q": "cooperation", "theme": theme.slug},
        {"q": "energy", "dialogue": dialogue.slug, "kind": "risk"},
        {"q": "coopération", "perspective": "consensus", "theme": theme.slug, "kind": "observation"},
    ):
        (expected, counts), (ids, found_counts) = _both(params, "fr")
        assert ids == expected, params
        assert found_counts == counts, params


def test_the_site_search_uses_the_index_and_shows_what_postgresql_shows(client, settings):
    corpus_generate(findings=300, seed=5)
    url = "/en/findings/?q=energy+security"
    indexed = client.get(url).content.decode()
    assert FINDINGS._index is not None and len(FINDINGS._index) == Finding.objects.public().count()
    settings.PERFORMANCE_OFF = frozenset({"search_index"})
    textindex.forget_all()
    assert client.get(url).content.decode() == indexed
    assert FINDINGS._index is None


# Factories write the change log in the test's transaction, where the index is not used (what a
# transaction wrote may never commit): the tests that follow changes commit them.


def _titles(client, text: str) -> list[str]:
    body = client.get(f"/en/findings/?q={text}").content.decode()
    assert FINDINGS._index is not None
    return re.findall(r'<a href="/en/findings/\d+/">([^<]*)</a>', body)


@pytest.mark.django_db(transaction=True)
def test_every_change_reaches_the_index_at_once(client, time_machine):
    dialogue = DialogueFactory(title_en="Quarterly exchange")
    first = FindingFactory(dialogue=dialogue, title_en="Tidal turbines pilot")
    second = FindingFactory(dialogue=dialogue, title_en="Tidal barrage survey")
    assert sorted(_titles(client, "tidal")) == ["Tidal barrage survey", "Tidal turbines pilot"]
    first.title_en = "Wave energy pilot"
    first.save()
    assert _titles(client, "tidal") == ["Tidal barrage survey"]
    assert _titles(client, "wave") == ["Wave energy pilot"]
    second.status = "draft"
    second.save()
    assert _titles(client, "tidal") == []
    scheduled = FindingFactory(dialogue=dialogue, scheduled=True, title_en="Tidal embargo")
    assert _titles(client, "tidal") == []
    time_machine.move_to(scheduled.published_at + dt.timedelta(seconds=1))
    # Scheduling wrote no entry (the record was not public): the minute's publish_due logs it, as
    # the page cache hears of it.
    publish_due()
    assert _titles(client, "tidal") == ["Tidal embargo"]
    dialogue.status = "draft"
    dialogue.save()
    assert _titles(client, "tidal") == [] and _titles(client, "wave") == []
    dialogue.status = "published"
    dialogue.save()
    first.delete()
    assert _titles(client, "tidal") == ["Tidal embargo"] and _titles(client, "wave") == []
    # The versions the index keeps are the log's (cards are kept under them, core.fragments).
    every = list(Finding.objects.values_list("pk", flat=True))
    logged = record_versions("findings", every)
    assert {pk: FINDINGS._index.versions.get(pk, 0) for pk in every} == {
        pk: logged.get(pk, 0) for pk in every
    }


@pytest.mark.django_db(transaction=True)
def test_a_search_page_from_the_index_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    dialogue = DialogueFactory()
    FindingFactory.create_batch(3, dialogue=dialogue, title_en="Tidal power")
    client.get("/en/findings/?q=tidal+power")  # builds the index, keeps the cards
    FindingFactory.create_batch(30, dialogue=dialogue, title_en="Tidal energy")
    client.get("/en/findings/?q=tidal+energy")
    # A new query of known words: no query at all (each word was parsed once, the records'
    # versions come from the index, their text and cards were kept by the searches above),
    # whether it finds 3 findings or 20 of 33; a new word costs its parse.
    for text in ("power+tidal", "energy+tidal"):
        with django_assert_num_queries(0):
            assert client.get(f"/en/findings/?q={text}").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/en/findings/?q=tidal+energy+anything").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_theme_facets_follow_theme_changes(client):
    parent = ThemeFactory(name_en="Oceans")
    child = ThemeFactory(name_en="Fisheries", parent=parent)
    finding = FindingFactory(title_en="Tidal turbines pilot")
    finding.themes.set([child])
    body = client.get("/en/findings/?q=tidal").content.decode()
    assert re.search(r"Oceans <span class=\"count\">1</span>", body)
    finding.themes.set([])
    body = client.get("/en/findings/?q=tidal").content.decode()
    assert "Oceans <span" not in body


@pytest.mark.django_db(transaction=True)
def test_a_new_process_takes_the_shared_index_without_building_it(client, monkeypatch):
    FindingFactory(title_en="Tidal turbines pilot")
    assert _titles(client, "tidal") == ["Tidal turbines pilot"]
    FINDINGS.forget()  # another worker: it finds the index in the shared cache

    def no_build(using):
        raise AssertionError("built again")

    monkeypatch.setattr(FINDINGS, "build", no_build)
    FindingFactory(title_en="Tidal barrage survey")
    assert sorted(_titles(client, "tidal")) == ["Tidal barrage survey", "Tidal turbines pilot"]


def test_postgresql_answers_when_the_index_cannot():
    FindingFactory(title_en="Tidal turbines pilot")
    with pytest.raises(SearchQueryTooLong):
        finding_search_indexed(text="x" * 300, language="en", filters={}, themes=[], dialogues=[])
    assert finding_search_indexed(text="   ", language="en", filters={}, themes=[], dialogues=[]) is None
    textindex.forget_all()
    with pytest.raises(Unsupported):
        parse_tsquery("'a' & !'b'")
    with pytest.raises(Unsupported):
        parse_tsquery("'a' <-> 'b'")


def test_queries_parse_as_postgresql_prints_them():
    assert parse_tsquery("") is None
    assert parse_tsquery("'energi' & 'secur'") == (
        "and",
        [("term", "energi", False), ("term", "secur", False)],
    )
    assert parse_tsquery("( '캐나다와' | '캐나다' & '와' ) & '한국':*") == (
        "and",
        [
            (
                "or",
                [("term", "캐나다와", False), ("and", [("term", "캐나다", False), ("term", "와", False)])],
            ),
            ("term", "한국", True),
        ],
    )
    assert parse_tsquery("'l''eau'") == ("term", "l'eau", False)


def test_entry_ranks_are_postgresql_single_precision_values():
    # calc_rank_or for one entry, before the division: a title word (A), a body word twice (C, C).
    assert entry_rank("A") == pytest.approx(1.0)
    assert entry_rank("CC") == pytest.approx(0.2 + 0.2 + 0.2 / 4 - 0.2)
    assert entry_rank("") == entry_rank("D")


@pytest.mark.django_db(transaction=True)
def test_the_index_holds_public_findings_only(client):
    public = FindingFactory(title_en="Tidal turbines pilot")
    FindingFactory(dialogue=public.dialogue, draft=True, title_en="Tidal secret draft")
    FindingFactory(dialogue=DialogueFactory(draft=True), title_en="Tidal hidden dialogue")
    FindingFactory(dialogue=public.dialogue, scheduled=True, title_en="Tidal embargo")
    assert _titles(client, "tidal") == ["Tidal turbines pilot"]
    assert set(FINDINGS._index.ids[FINDINGS._index.alive].tolist()) == {public.pk}


@pytest.mark.django_db(transaction=True)
def test_a_known_scheduled_publication_shows_the_moment_it_comes_due(client, time_machine):
    public = FindingFactory(title_en="Tidal turbines pilot")
    scheduled = FindingFactory(dialogue=public.dialogue, scheduled=True, title_en="Tidal embargo")
    assert _titles(client, "tidal") == ["Tidal turbines pilot"]
    time_machine.move_to(scheduled.published_at + dt.timedelta(seconds=1))
    # No write since: the public state's due time passed, and the index looks at what came due.
    assert sorted(_titles(client, "tidal")) == ["Tidal embargo", "Tidal turbines pilot"]
