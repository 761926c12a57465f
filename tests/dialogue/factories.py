import datetime as dt

import factory

from dialogue.models import (
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    DialogueSeries,
    Milestone,
    OrganizerRole,
    Participation,
    Session,
    Theme,
)
from tests.stakeholders.factories import OrganizationFactory, PersonFactory, PublishableFactory


class ThemeFactory(PublishableFactory):
    class Meta:
        model = Theme

    name_en = factory.Sequence(lambda n: f"Energy security {n}")
    name_fr = factory.Sequence(lambda n: f"Sécurité énergétique {n}")
    name_ko = factory.Sequence(lambda n: f"에너지 안보 {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class DialogueSeriesFactory(PublishableFactory):
    class Meta:
        model = DialogueSeries

    name_en = factory.Sequence(lambda n: f"Canada–Korea Dialogue {n}")
    name_fr = factory.Sequence(lambda n: f"Dialogue Canada–Corée {n}")
    name_ko = factory.Sequence(lambda n: f"한-캐나다 대화 {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")
    countries = ["CA", "KR"]


class DialogueFactory(PublishableFactory):
    class Meta:
        model = Dialogue

    series = factory.SubFactory(DialogueSeriesFactory)
    edition = factory.Sequence(lambda n: n + 1)
    title_en = factory.Sequence(lambda n: f"Dialogue on artificial intelligence {n}")
    title_fr = factory.Sequence(lambda n: f"Dialogue sur l’intelligence artificielle {n}")
    title_ko = factory.Sequence(lambda n: f"인공지능 대화 {n}")
    slug = factory.Sequence(lambda n: f"dialogue-{n}")
    start_date = dt.date(2025, 7, 9)
    end_date = dt.date(2025, 7, 9)
    city_en = "Seoul"
    city_fr = "Séoul"
    city_ko = "서울"
    country = "KR"
    summary_en = "Officials and researchers met."
    summary_fr = "Des responsables et des chercheurs se sont réunis."
    summary_ko = "공무원과 연구자들이 만났다."


class DialogueOrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueOrganizer

    dialogue = factory.SubFactory(DialogueFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = OrganizerRole.CO_HOST


class DialogueDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueDocument

    dialogue = factory.SubFactory(DialogueFactory)
    title_en = "Summary"
    title_fr = "Résumé"
    title_ko = "요약"
    kind = "summary"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    dialogue = factory.SubFactory(DialogueFactory)
    order = factory.Sequence(int)
    title_en = factory.Sequence(lambda n: f"Session {n}")
    title_fr = factory.Sequence(lambda n: f"Séance {n}")
    title_ko = factory.Sequence(lambda n: f"세션 {n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    class Params:
        private = factory.Trait(is_public=False)

    dialogue = factory.SubFactory(DialogueFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.SelfAttribute("person.organization")
    role = "participant"
    capacity = "personal"
    delegation_country = "KR"
    is_public = True


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    series = factory.SubFactory(DialogueSeriesFactory)
    event_date = dt.date(2014, 1, 1)
    date_precision = "year"
    title_en = "Free trade agreement"
    title_fr = "Accord de libre-échange"
    title_ko = "자유무역협정"
