"""Bulk generation and removal of the synthetic corpus.

Rows are inserted with `bulk_create` in batches: no `save()`, no signals, no history rows, which
is what makes 100,000 findings a matter of minutes. Every synthetic row is recognisable (slugs
start with `syn-`, everything else hangs off a synthetic dialogue), so `corpus_delete()` removes
exactly those rows and never touches the demo content or anything an analyst made.
"""

import datetime as dt
import random

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation

from core.models import PublicationStatus
from demo.corpus import grammar, text
from demo.corpus.editions import insert_editions
from demo.corpus.rows import PREFIX, CorpusSize, Run, through, tr
from dialogue.models import (
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    DialogueSeries,
    Milestone,
    Participation,
    Session,
    Theme,
)
from findings.models import Finding, Recommendation, RecommendationUpdate
from stakeholders.models import Organization, OrganizationKind, Person

LONG_AGO = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
EDITIONS_PER_CHUNK = 50


def corpus_exists() -> bool:
    """Whether synthetic rows are present."""
    return Dialogue.objects.filter(slug__startswith=PREFIX).exists()


def corpus_delete() -> int:
    """Delete every synthetic row (and only those); returns how many rows went.

    Raw deletes in dependency order: the ORM's cascade would load every row to send the
    history signals, which synthetic rows never had.
    """
    dialogues = Dialogue.objects.filter(slug__startswith=PREFIX)
    findings = Finding.objects.filter(dialogue__in=dialogues)
    recommendations = Recommendation.objects.filter(dialogue__in=dialogues)
    sessions = Session.objects.filter(dialogue__in=dialogues)
    series = DialogueSeries.objects.filter(slug__startswith=PREFIX)
    themes = Theme.objects.filter(slug__startswith=PREFIX)
    organizations = Organization.objects.filter(slug__startswith=PREFIX)
    people = Person.objects.filter(slug__startswith=PREFIX)
    steps = [
        RecommendationUpdate.objects.filter(recommendation__in=recommendations),
        through(Recommendation, "source_findings").objects.filter(
            Q(recommendation__in=recommendations) | Q(finding__in=findings)
        ),
        through(Recommendation, "themes").objects.filter(
            Q(recommendation__in=recommendations) | Q(theme__in=themes)
        ),
        through(Recommendation, "addressee_organizations").objects.filter(
            Q(recommendation__in=recommendations) | Q(organization__in=organizations)
        ),
        recommendations,
        through(Finding, "themes").objects.filter(Q(finding__in=findings) | Q(theme__in=themes)),
        findings,
        Participation.objects.filter(dialogue__in=dialogues),
        through(Session, "themes").objects.filter(Q(session__in=sessions) | Q(theme__in=themes)),
        sessions,
        DialogueDocument.objects.filter(dialogue__in=dialogues),
        DialogueOrganizer.objects.filter(dialogue__in=dialogues),
        through(Dialogue, "themes").objects.filter(Q(dialogue__in=dialogues) | Q(theme__in=themes)),
        dialogues,
        Milestone.objects.filter(series__in=series),
        series,
        people,
        organizations,
        themes.filter(parent__isnull=False),
        themes,
    ]
    deleted = 0
    with transaction.atomic():
        for queryset in steps:
            # _raw_delete: one DELETE per table, no per-row collection (see the docstring).
            deleted += queryset._raw_delete(queryset.db)
    _tidy()
    return deleted


def corpus_generate(*, findings: int, seed: int = 2025, now=None, progress=None) -> dict[str, int]:
    """Insert a synthetic corpus of `findings` findings (other counts scaled); returns row counts.

    Deterministic for a given size and seed (publication times are relative to `now`). On
    PostgreSQL the tables are analysed afterwards, so the planner knows their new size.
    """
    run = Run(
        size=CorpusSize(findings=findings),
        rng=random.Random(seed),
        now=now or timezone.now(),
        say=progress or (lambda message: None),
    )
    with translation.override("en"), transaction.atomic():
        _themes(run)
        _organizations(run)
        _people(run)
        _series(run)
        _editions(run)
    _tidy()
    return run.counts


def _tidy() -> None:
    """On PostgreSQL, VACUUM ANALYZE the corpus tables after a bulk load or delete.

    ANALYZE gives the planner the new sizes; VACUUM drops dead rows from the indexes and merges
    the GIN pending lists, which otherwise every full-text query scans linearly.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    models = [Theme, Organization, Person, DialogueSeries, Milestone, Dialogue, DialogueDocument]
    models += [DialogueOrganizer, Session, Participation, Finding, Recommendation, RecommendationUpdate]
    tables = {model._meta.db_table for model in models}
    tables |= {
        field.remote_field.through._meta.db_table
        for model in models
        for field in model._meta.local_many_to_many
    }
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")


def _themes(run: Run) -> None:
    """Eight top-level themes and one second-level theme per topic (the last one a draft)."""
    published = {"status": PublicationStatus.PUBLISHED, "published_at": LONG_AGO}
    groups = run.insert(
        Theme,
        [
            Theme(slug=f"{PREFIX}theme-group-{i}", order=i, **tr("name", names), **published)
            for i, names in enumerate(text.THEME_GROUPS)
        ],
    )
    children = []
    for i, names in enumerate(text.TOPICS):
        status = published if i < len(text.TOPICS) - 1 else {"status": PublicationStatus.DRAFT}
        children.append(
            Theme(
                slug=f"{PREFIX}theme-{i}",
                order=i,
                parent=groups[text.TOPIC_GROUP[i]],
                **tr("name", tuple(grammar.cap(name) for name in names)),
                **tr(
                    "description",
                    (
                        f"Findings and recommendations on {names[0]}.",
                        f"Constats et recommandations sur {names[1]}.",
                        f"{names[2]}에 관한 연구 결과와 권고.",
                    ),
                ),
                **status,
            )
        )
    run.themes = run.insert(Theme, children)
    run.say(f"themes: {run.counts['themes']}")


def _organizations(run: Run) -> None:
    rng, rows = run.rng, []
    kinds = [choice for choice, _label in OrganizationKind.choices]
    for i in range(run.size.organizations):
        code, c_en, c_fr, c_ko = rng.choice(text.COUNTRIES)
        t_en, t_fr, t_ko = rng.choice(text.TOPICS)
        stem_en, stem_fr, stem_ko = rng.choice(text.ORGANIZATION_STEMS)
        name_en = stem_en.format(
            c=c_en.removeprefix("the "), T=" ".join(w.capitalize() for w in t_en.split())
        )
        acronym = "".join(word[0] for word in name_en.split() if word[0].isupper()) + str(i)
        rows.append(
            Organization(
                slug=f"{PREFIX}org-{i}",
                kind=rng.choice(kinds),
                country=code,
                **tr(
                    "name",
                    (
                        f"{name_en} {i}",
                        f"{stem_fr.format(de_c=grammar.de(c_fr), t=t_fr)} {i}",
                        f"{stem_ko.format(c=c_ko, t=t_ko)} {i}",
                    ),
                ),
                **tr("acronym", (acronym, acronym, acronym)),
                **tr(
                    "description",
                    (
                        f"An organisation in {c_en} that works on {t_en}.",
                        f"Une organisation {grammar.de(c_fr)} qui travaille sur {t_fr}.",
                        f"{t_ko} 분야에서 활동하는 {c_ko}의 기관.",
                    ),
                ),
                **run.status(LONG_AGO, shares=(0.95, 0.03, 0.02)),
            )
        )
    run.organizations = run.insert(Organization, rows)
    run.say(f"organisations: {len(rows)}")


def _people(run: Run) -> None:
    """People, four in ten Korean (with a Hangul name); about one in four has not consented."""
    rng, rows = run.rng, []
    for i in range(run.size.people):
        organization = rng.choice(run.organizations)
        if rng.random() < 0.4:
            given, given_ko = rng.choice(text.KOREAN_GIVEN_NAMES)
            family, family_ko = rng.choice(text.KOREAN_FAMILY_NAMES)
            original, country = family_ko + given_ko, "KR"
        else:
            given, family, original = rng.choice(text.GIVEN_NAMES), rng.choice(text.FAMILY_NAMES), ""
            country = organization.country
        topic = rng.choice(text.TOPICS)
        rows.append(
            Person(
                slug=f"{PREFIX}person-{i}",
                given_name=given,
                family_name=family,
                name_original=original,
                organization=organization,
                country=country,
                **tr("position", rng.choice(text.POSITIONS)),
                **tr(
                    "biography",
                    (f"Works on {topic[0]}.", f"Travaille sur {topic[1]}.", f"{topic[2]} 분야를 연구한다."),
                ),
                is_public=rng.random() < 0.75,
                email=f"person-{i}@private.example.org",
                phone=f"+1 555 01{i % 100:02d}",
                internal_notes=f"Synthetic private note {i}.",
            )
        )
    run.people = run.insert(Person, rows)
    run.say(f"people: {len(rows)}")


def _series_pairs(run: Run) -> list[tuple]:
    """Country pairs of the series: most involve Canada or Korea, the Atlas's first users."""
    rng = run.rng
    canada, korea, others = text.COUNTRIES[0], text.COUNTRIES[1], text.COUNTRIES[2:]
    pairs = []
    for _ in range(run.size.series):
        roll = rng.random()
        if roll < 0.15:
            pairs.append((canada, korea))
        elif roll < 0.45:
            pairs.append((canada, rng.choice(others)))
        elif roll < 0.75:
            pairs.append((korea, rng.choice(others)))
        else:
            pairs.append(tuple(rng.sample(others, 2)))
    return pairs


def _series(run: Run) -> None:
    """The series (all published) with two context milestones each."""
    rng = run.rng
    run.pairs = _series_pairs(run)
    rows = []
    for i, (first, second) in enumerate(run.pairs):
        group = rng.choice(text.THEME_GROUPS)
        rows.append(
            DialogueSeries(
                slug=f"{PREFIX}series-{i}",
                countries=[first[0], second[0]],
                **tr(
                    "name",
                    (
                        f"{grammar.pair_en(first, second)} Dialogue on {group[0].lower()} ({i})",
                        f"Dialogue {grammar.pair_fr(first, second)} : {group[1].lower()} ({i})",
                        f"{first[3]}-{second[3]} {group[2]} 대화 ({i})",
                    ),
                ),
                **tr(
                    "description",
                    (
                        f"A recurring Track 1.5 dialogue between {first[1]} and {second[1]}.",
                        f"Un dialogue de type 1.5 régulier entre {first[2]} et {second[2]}.",
                        f"{grammar.ko(first[3], '과')} {second[3]} 사이의 정례 1.5트랙 대화.",
                    ),
                ),
                status=PublicationStatus.PUBLISHED,
                published_at=LONG_AGO,
            )
        )
    run.series = run.insert(DialogueSeries, rows)
    milestones = []
    for serie, (first, second) in zip(run.series, run.pairs, strict=True):
        for year in sorted(rng.sample(range(2000, 2012), 2)):
            topic = rng.choice(text.TOPICS)
            milestones.append(
                Milestone(
                    series=serie,
                    event_date=dt.date(year, 1, 1),
                    date_precision="year",
                    **tr(
                        "title",
                        (f"Agreement on {topic[0]}", f"Accord sur {topic[1]}", f"{topic[2]}에 관한 협정"),
                    ),
                    **tr(
                        "description",
                        (
                            f"{grammar.cap(first[1])} and {second[1]} signed an agreement on {topic[0]}.",
                            f"{grammar.cap(first[2])} et {second[2]} ont signé un accord sur {topic[1]}.",
                            f"{grammar.ko(first[3], '과')} {grammar.ko(second[3], '은')} "
                            f"{topic[2]}에 관한 협정을 체결했다.",
                        ),
                    ),
                )
            )
    run.insert(Milestone, milestones)


def _editions(run: Run) -> None:
    """Dialogues spread evenly over the series, one edition a year, in chunks of editions.

    Editions are made in series order, so a recommendation can follow up one of the previous
    edition's, which already has its id.
    """
    per_series = [0] * len(run.series)
    plan = []
    for d in range(run.size.dialogues):
        s = d % len(run.series)
        per_series[s] += 1
        plan.append((s, per_series[s]))
    plan.sort()
    run.first_year = {s: run.now.year - count - run.rng.randint(0, 3) for s, count in enumerate(per_series)}
    findings_left, recommendations_left = run.size.findings, run.size.recommendations
    chunk = []
    for index, (s, edition) in enumerate(plan):
        remaining = len(plan) - index
        n_findings, n_recommendations = findings_left // remaining, recommendations_left // remaining
        findings_left -= n_findings
        recommendations_left -= n_recommendations
        chunk.append((s, edition, n_findings, n_recommendations))
        if len(chunk) == EDITIONS_PER_CHUNK or index == len(plan) - 1:
            insert_editions(run, chunk)
            chunk = []
            run.say(f"dialogues: {run.counts['dialogues']}/{len(plan)}, findings: {run.counts['findings']}")
