"""The synthetic corpus: scaled counts, determinism, three languages, realistic mix, safe reset."""

import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from core.models import PublicationStatus, PublicChange
from demo.corpus import CorpusSize, corpus_delete, corpus_exists, corpus_generate
from demo.services import demo_content_load
from dialogue.models import Dialogue, Participation, Session
from findings.models import Finding, Recommendation, RecommendationUpdate
from findings.selectors import finding_list_public
from stakeholders.models import Organization, Person

pytestmark = pytest.mark.django_db

HANGUL_WITH_PARTICLE = re.compile(r"[가-힣]+(?:와|과|의|은|는|이|가|을|를)\b")


@pytest.fixture
def corpus():
    return corpus_generate(findings=400, seed=3)


def test_counts_scale_with_the_number_of_findings(corpus):
    size = CorpusSize(findings=400)
    assert Finding.objects.count() == 400
    assert Dialogue.objects.count() == size.dialogues == 10
    assert Recommendation.objects.count() == size.recommendations == 200
    assert Person.objects.count() == size.people == 100
    assert Session.objects.count() == 10 * size.sessions_per_dialogue
    assert Participation.objects.count() == 10 * size.participations_per_dialogue
    assert RecommendationUpdate.objects.exists()
    assert corpus["findings"] == 400


def test_the_same_seed_gives_the_same_corpus():
    def snapshot():
        return list(
            Finding.objects.order_by("dialogue__slug", "order").values_list("title_ko", "body_fr", "status")
        )

    corpus_generate(findings=120, seed=9)
    first = snapshot()
    corpus_delete()
    corpus_generate(findings=120, seed=9)
    assert snapshot() == first
    corpus_delete()
    corpus_generate(findings=120, seed=10)
    assert snapshot() != first


def test_every_text_exists_in_three_languages_with_korean_particles(corpus):
    for finding in Finding.objects.all()[:50]:
        for field in ("title", "summary", "body"):
            texts = [getattr(finding, f"{field}_{lang}") for lang in ("en", "fr", "ko")]
            assert all(texts), (field, texts)
        assert re.search(r"[가-힣]", finding.body_ko) and not re.search(r"[가-힣]", finding.body_en)
    korean = " ".join(Finding.objects.values_list("body_ko", flat=True))
    assert len(HANGUL_WITH_PARTICLE.findall(korean)) > 400
    assert "캐나다와" in korean or "한국과" in korean


def test_the_corpus_mixes_publication_states_consent_and_the_chatham_house_rule(corpus):
    statuses = Counter(Finding.objects.values_list("status", flat=True))
    assert statuses[PublicationStatus.PUBLISHED] > 0.8 * 400
    assert statuses[PublicationStatus.DRAFT] and statuses[PublicationStatus.IN_REVIEW]
    scheduled = Finding.objects.filter(status=PublicationStatus.PUBLISHED).exclude(
        pk__in=Finding.objects.published()
    )
    assert scheduled.exists()
    assert 0 < finding_list_public().count() < 400
    assert Dialogue.objects.filter(is_chatham_house=True).exists()
    assert Dialogue.objects.filter(is_chatham_house=False).exists()
    assert Person.objects.filter(is_public=False).exists() and Person.objects.filter(is_public=True).exists()
    assert Recommendation.objects.filter(follows__isnull=False).exists()
    assert all(person.email.endswith("@private.example.org") for person in Person.objects.all()[:20])


def test_reset_removes_only_synthetic_rows(corpus):
    demo_content_load()
    demo = {
        "findings": set(
            Finding.objects.exclude(dialogue__slug__startswith="syn-").values_list("pk", flat=True)
        ),
        "organisations": set(
            Organization.objects.exclude(slug__startswith="syn-").values_list("pk", flat=True)
        ),
    }
    assert demo["findings"] and demo["organisations"]
    corpus_delete()
    assert not corpus_exists()
    assert set(Finding.objects.values_list("pk", flat=True)) == demo["findings"]
    assert set(Organization.objects.values_list("pk", flat=True)) == demo["organisations"]
    assert not Person.objects.filter(slug__startswith="syn-").exists()


def test_the_command_refuses_to_stack_a_second_corpus_and_resets_on_request(capsys):
    call_command("generate_corpus", findings=80)
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_corpus", findings=80)
    call_command("generate_corpus", findings=120, reset=True)
    assert Finding.objects.count() == 120
    call_command("generate_corpus", findings=1, delete=True)
    assert not corpus_exists()
    with pytest.raises(CommandError):
        call_command("generate_corpus", findings=0)


def test_generating_invalidates_the_public_cache(client):
    client.get("/en/findings/")
    assert client.get("/en/findings/")["X-Cache"] == "HIT"
    call_command("generate_corpus", findings=80)  # bulk inserts send no signals
    response = client.get("/en/findings/")
    assert response["X-Cache"] == "MISS"


@pytest.mark.django_db(transaction=True)  # partners hold what committed before the deletion
def test_generating_brings_the_change_feed_up_to_date():
    call_command("generate_corpus", findings=80)
    public = set(finding_list_public().values_list("pk", flat=True))
    fed = set(
        PublicChange.objects.filter(resource="findings", action="upsert").values_list("object_id", flat=True)
    )
    assert public and public <= fed
    call_command("generate_corpus", findings=1, delete=True)
    removed = PublicChange.objects.filter(resource="findings", action="remove").values_list(
        "object_id", flat=True
    )
    assert public <= set(removed)
