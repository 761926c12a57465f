import datetime as dt

import factory

from findings.models import Finding, FindingKind, Recommendation, RecommendationUpdate
from tests.dialogue.factories import DialogueFactory, PublishableFactory


class FindingFactory(PublishableFactory):
    class Meta:
        model = Finding
        skip_postgeneration_save = True

    dialogue = factory.SubFactory(DialogueFactory)
    kind = FindingKind.KEY_FINDING
    perspective = "consensus"
    title_en = factory.Sequence(lambda n: f"Energy as a strategic lever {n}")
    title_fr = factory.Sequence(lambda n: f"L’énergie comme levier stratégique {n}")
    title_ko = factory.Sequence(lambda n: f"전략적 지렛대로서의 에너지 {n}")
    summary_en = "Canadian exports of liquefied natural gas can support Korea's energy needs."
    summary_fr = "Les exportations canadiennes de gaz naturel liquéfié peuvent soutenir les besoins."
    summary_ko = "캐나다의 액화천연가스 수출이 한국의 에너지 수요를 뒷받침할 수 있다."
    order = factory.Sequence(int)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class RecommendationFactory(PublishableFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    dialogue = factory.SubFactory(DialogueFactory)
    title_en = factory.Sequence(lambda n: f"Align data governance {n}")
    title_fr = factory.Sequence(lambda n: f"Harmoniser la gouvernance des données {n}")
    title_ko = factory.Sequence(lambda n: f"데이터 거버넌스 조화 {n}")
    body_en = "Both governments should align their rules."
    body_fr = "Les deux gouvernements devraient harmoniser leurs règles."
    body_ko = "양국 정부는 규범을 조화시켜야 한다."
    current_status = "proposed"
    addressee_countries = ["CA", "KR"]
    order = factory.Sequence(int)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class RecommendationUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    update_date = dt.date(2026, 1, 15)
    status = "under_consideration"
    note_en = "Raised at the ministerial meeting."
    note_fr = "Soulevée à la réunion ministérielle."
    note_ko = "장관급 회의에서 논의되었다."
