"""Dialogue editions of the synthetic corpus, with everything that hangs off them."""

import datetime as dt

from demo.corpus import grammar, text
from demo.corpus.rows import LANGS, PREFIX, Run, through, tr
from dialogue.models import (
    Capacity,
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    DocumentKind,
    OrganizerRole,
    Participation,
    ParticipationRole,
    Session,
    Track,
)
from findings.models import (
    Finding,
    FindingKind,
    FollowUpKind,
    Horizon,
    Perspective,
    Priority,
    Recommendation,
    RecommendationStatus,
    RecommendationUpdate,
)

KINDS = [FindingKind.KEY_FINDING] * 4 + [FindingKind.OBSERVATION] * 3 + [FindingKind.OPPORTUNITY] * 2
KINDS += [FindingKind.RISK]
ROLES = [ParticipationRole.PARTICIPANT] * 8 + [ParticipationRole.SPEAKER] * 4
ROLES += [ParticipationRole.PANELLIST] * 3 + [ParticipationRole.MODERATOR, ParticipationRole.CO_CHAIR]
ROLES += [ParticipationRole.RAPPORTEUR, ParticipationRole.OBSERVER, ParticipationRole.ORGANIZER]
STATUSES = [RecommendationStatus.PROPOSED] * 7 + [RecommendationStatus.UNDER_CONSIDERATION] * 4
STATUSES += [RecommendationStatus.IN_PROGRESS] * 4 + [RecommendationStatus.IMPLEMENTED] * 2
STATUSES += [RecommendationStatus.STALLED] * 2 + [RecommendationStatus.SUPERSEDED]
PROGRESSION = [
    RecommendationStatus.UNDER_CONSIDERATION,
    RecommendationStatus.IN_PROGRESS,
    RecommendationStatus.IMPLEMENTED,
]
ORGANIZER_ROLES = [OrganizerRole.CONVENOR, OrganizerRole.CO_HOST, OrganizerRole.FUNDER]


def insert_editions(run: Run, chunk: list[tuple[int, int, int, int]]) -> None:
    """Insert the dialogues of `chunk` ((series, edition, findings, recommendations) each)."""
    plans = [_plan(run, *item) for item in chunk]
    dialogues = run.insert(Dialogue, [plan["dialogue"] for plan in plans])
    for dialogue, plan in zip(dialogues, plans, strict=True):
        plan["dialogue"] = dialogue
    documents = _parts(run, plans)
    _findings(run, plans, documents)
    _recommendations(run, plans)


def _plan(run: Run, s: int, edition: int, n_findings: int, n_recommendations: int) -> dict:
    rng, today = run.rng, run.now.date()
    first, second = pair = run.pairs[s]
    host = first if edition % 2 else second
    year = min(run.first_year[s] + edition - 1, today.year)
    last_month = max(1, today.month - 1) if year == today.year else 12
    start = dt.date(year, rng.randint(1, last_month), rng.randint(1, 28))
    end = start + dt.timedelta(days=rng.randint(0, 2))
    focus = rng.sample(range(len(text.TOPICS)), 4)  # the edition's topics, its themes
    topic = text.TOPICS[focus[0]]
    released = dt.datetime.combine(end + dt.timedelta(days=30), dt.time(9), tzinfo=dt.UTC)
    dialogue = Dialogue(
        series=run.series[s],
        edition=edition,
        slug=f"{PREFIX}{s}-{edition}",
        track=Track.TRACK_1_5 if rng.random() < 0.8 else rng.choice([Track.TRACK_1, Track.TRACK_2]),
        start_date=start,
        end_date=end,
        country=host[0],
        **tr("city", text.CITIES[host[0]]),
        **tr("venue", ("Conference centre", "Centre de conférences", "컨벤션 센터")),
        **tr(
            "title",
            (
                f"{grammar.pair_en(first, second)} Dialogue on {topic[0]}, edition {edition}",
                f"Dialogue {grammar.pair_fr(first, second)} sur {topic[1]}, édition {edition}",
                f"제{edition}차 {first[3]}-{second[3]} {topic[2]} 대화",
            ),
        ),
        **tr("summary", run.slots.text(text.FINDING_SENTENCES, pair=pair, focus=focus)),
        **tr("context", run.slots.text(text.FINDING_SENTENCES, pair=pair, focus=focus, sentences=2)),
        is_chatham_house=rng.random() < 0.3,
        **run.status(released, shares=(0.92, 0.04, 0.02)),
    )
    return {
        "s": s,
        "edition": edition,
        "pair": pair,
        "focus": focus,
        "released": released,
        "findings": n_findings,
        "recommendations": n_recommendations,
        "dialogue": dialogue,
    }


def _parts(run: Run, plans: list[dict]) -> list[DialogueDocument]:
    """Summary document, organisers, themes, sessions and participants of each dialogue."""
    rng = run.rng
    documents, organizers, dialogue_themes, sessions, session_topics, participations = [], [], [], [], [], []
    DialogueThemes = through(Dialogue, "themes")
    for plan in plans:
        dialogue, pair, focus = plan["dialogue"], plan["pair"], plan["focus"]
        documents.append(
            DialogueDocument(
                dialogue=dialogue,
                kind=DocumentKind.SUMMARY,
                language=rng.choice(LANGS),
                issued_date=dialogue.end_date + dt.timedelta(days=21),
                **tr("title", ("Summary of the dialogue", "Résumé du dialogue", "대화 요약")),
            )
        )
        for order, organization in enumerate(rng.sample(run.organizations, rng.randint(2, 3))):
            organizers.append(
                DialogueOrganizer(
                    dialogue=dialogue, organization=organization, role=ORGANIZER_ROLES[order], order=order
                )
            )
        dialogue_themes += [DialogueThemes(dialogue_id=dialogue.pk, theme_id=run.themes[t].pk) for t in focus]
        for order in range(run.size.sessions_per_dialogue):
            t = rng.choice(focus)
            topic = text.TOPICS[t]
            sessions.append(
                Session(
                    dialogue=dialogue,
                    order=order,
                    **tr(
                        "title",
                        (
                            f"Session {order + 1}: {topic[0]}",
                            f"Séance {order + 1} : {topic[1]}",
                            f"세션 {order + 1}: {topic[2]}",
                        ),
                    ),
                    **tr("description", run.slots.text(text.FINDING_SENTENCES, pair=pair, focus=focus)),
                    # The Rule may cover a meeting "or part thereof".
                    is_chatham_house=not dialogue.is_chatham_house and rng.random() < 0.15,
                )
            )
            session_topics.append(t)
        codes = {country[0] for country in pair}
        for person in rng.sample(run.people, run.size.participations_per_dialogue):
            participations.append(
                Participation(
                    dialogue=dialogue,
                    person=person,
                    organization=person.organization,
                    role=rng.choice(ROLES),
                    capacity=rng.choice(list(Capacity)),
                    delegation_country=person.country if person.country in codes else pair[0][0],
                    is_public=rng.random() < 0.85,
                    position_en=person.position_en,
                    position_fr=person.position_fr,
                    position_ko=person.position_ko,
                )
            )
    documents = run.insert(DialogueDocument, documents)
    run.insert(DialogueOrganizer, organizers)
    run.insert(DialogueThemes, dialogue_themes, "dialogue themes")
    sessions = run.insert(Session, sessions)
    SessionThemes = through(Session, "themes")
    run.insert(
        SessionThemes,
        [
            SessionThemes(session_id=session.pk, theme_id=run.themes[t].pk)
            for session, t in zip(sessions, session_topics, strict=True)
        ],
        "session themes",
    )
    run.insert(Participation, participations)
    return documents


def _findings(run: Run, plans: list[dict], documents: list[DialogueDocument]) -> None:
    rng, slots = run.rng, run.slots
    findings, focuses = [], []
    for plan, document in zip(plans, documents, strict=True):
        pair, focus = plan["pair"], plan["focus"]
        for order in range(plan["findings"]):
            perspective = rng.choices(
                [Perspective.CONSENSUS, Perspective.DELEGATION, Perspective.DIVERGENT], [7, 2, 1]
            )[0]
            section, paragraph = rng.randint(1, 6), rng.randint(1, 9)
            findings.append(
                Finding(
                    dialogue=plan["dialogue"],
                    kind=rng.choice(KINDS),
                    perspective=perspective,
                    perspective_country=rng.choice(pair)[0] if perspective == Perspective.DELEGATION else "",
                    **tr("title", slots.text(text.FINDING_TITLES, pair=pair, focus=focus)),
                    **tr("summary", slots.text(text.FINDING_SENTENCES, pair=pair, focus=focus)),
                    **tr("body", slots.text(text.FINDING_SENTENCES, pair=pair, focus=focus, sentences=3)),
                    source_document=document,
                    **tr(
                        "source_locator",
                        (
                            f"Section {section}, paragraph {paragraph}",
                            f"Section {section}, paragraphe {paragraph}",
                            f"{section}절 {paragraph}항",
                        ),
                    ),
                    order=order,
                    **run.status(plan["released"] + dt.timedelta(days=rng.randint(0, 5))),
                )
            )
            focuses.append(focus)
    findings = run.insert(Finding, findings)
    FindingThemes = through(Finding, "themes")
    run.insert(
        FindingThemes,
        [
            FindingThemes(finding_id=finding.pk, theme_id=run.themes[t].pk)
            for finding, focus in zip(findings, focuses, strict=True)
            for t in rng.sample(focus, rng.randint(1, 3))
        ],
        "finding themes",
    )
    for plan in plans:
        plan["finding_ids"] = []
    by_dialogue = {plan["dialogue"].pk: plan for plan in plans}
    for finding in findings:
        by_dialogue[finding.dialogue_id]["finding_ids"].append(finding.pk)


def _recommendations(run: Run, plans: list[dict]) -> None:
    """Recommendations with sources, themes, addressees, follow-up links and status history."""
    rng, slots = run.rng, run.slots
    rows, owners = [], []
    for plan in plans:
        pair, focus = plan["pair"], plan["focus"]
        for order in range(plan["recommendations"]):
            follows = plan["edition"] > 1 and rng.random() < 0.2
            sentences = rng.randint(2, 3)
            rows.append(
                Recommendation(
                    dialogue=plan["dialogue"],
                    **tr("title", slots.text(text.RECOMMENDATION_TITLES, pair=pair, focus=focus)),
                    **tr(
                        "body",
                        slots.text(
                            text.RECOMMENDATION_SENTENCES, pair=pair, focus=focus, sentences=sentences
                        ),
                    ),
                    addressee_countries=[country[0] for country in rng.sample(pair, rng.randint(1, 2))],
                    priority=rng.choice(list(Priority)),
                    horizon=rng.choice(list(Horizon)),
                    current_status=rng.choice(STATUSES),
                    follow_up_kind=rng.choice(list(FollowUpKind)) if follows else "",
                    order=order,
                    **run.status(plan["released"] + dt.timedelta(days=rng.randint(0, 5))),
                )
            )
            owners.append(plan)
    recommendations = run.insert(Recommendation, rows)

    Sources = through(Recommendation, "source_findings")
    Themes = through(Recommendation, "themes")
    Addressees = through(Recommendation, "addressee_organizations")
    sources, themes, addressees, updates, followers = [], [], [], [], []
    today = run.now.date()
    for recommendation, plan in zip(recommendations, owners, strict=True):
        key = (plan["s"], plan["edition"])
        run.recommendations_by_edition.setdefault(key, []).append(recommendation.pk)
        pool = plan["finding_ids"]
        sources += [
            Sources(recommendation_id=recommendation.pk, finding_id=pk)
            for pk in rng.sample(pool, min(len(pool), rng.randint(1, 2)))
        ]
        themes += [
            Themes(recommendation_id=recommendation.pk, theme_id=run.themes[t].pk)
            for t in rng.sample(plan["focus"], rng.randint(1, 2))
        ]
        addressees += [
            Addressees(recommendation_id=recommendation.pk, organization_id=organization.pk)
            for organization in rng.sample(run.organizations, rng.randint(0, 2))
        ]
        earlier = run.recommendations_by_edition.get((plan["s"], plan["edition"] - 1))
        if recommendation.follow_up_kind and earlier:
            recommendation.follows_id = rng.choice(earlier)
            followers.append(recommendation)
        updates += _updates(run, recommendation, plan, today)
    run.insert(Sources, sources, "recommendation sources")
    run.insert(Themes, themes, "recommendation themes")
    run.insert(Addressees, addressees, "recommendation addressees")
    Recommendation.objects.bulk_update(followers, ["follows"], batch_size=1000)
    run.insert(RecommendationUpdate, updates)


def _updates(run: Run, recommendation, plan: dict, today: dt.date) -> list[RecommendationUpdate]:
    """The dated steps that led to the recommendation's current status (none while proposed)."""
    current = recommendation.current_status
    if current == RecommendationStatus.PROPOSED:
        return []
    before = PROGRESSION[: PROGRESSION.index(current)] if current in PROGRESSION else PROGRESSION[:2]
    steps = [*before[: run.rng.randint(0, len(before))], current]
    day, updates = plan["dialogue"].end_date, []
    for status in steps:
        day = min(day + dt.timedelta(days=run.rng.randint(60, 300)), today)
        updates.append(
            RecommendationUpdate(
                recommendation=recommendation,
                update_date=day,
                status=status,
                **tr("note", run.slots.text(text.UPDATE_NOTES, pair=plan["pair"], focus=plan["focus"])),
            )
        )
    return updates
