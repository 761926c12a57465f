"""The demo dialogue itself: its source, organisers, themes, series and bilateral timeline."""

import datetime as dt

PUBLISHED_AT = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)

SOURCE_DOCUMENT = {
    "title": {
        "en": "Summary of the Canada–Korea Track 1.5 Dialogue on Artificial Intelligence",
        "fr": "Résumé du dialogue de type 1.5 Canada–Corée sur l’intelligence artificielle",
        "ko": "한-캐나다 인공지능 1.5트랙 대화 요약",
    },
    "kind": "summary",
    "language": "fr",
}

ORGANIZATIONS = [
    {
        "slug": "apf-canada",
        "kind": "think_tank",
        "country": "CA",
        "name": {
            "en": "Asia Pacific Foundation of Canada",
            "fr": "Fondation Asie Pacifique du Canada",
            "ko": "캐나다 아시아태평양재단",
        },
        "acronym": {"en": "APF Canada", "fr": "FAP Canada", "ko": "APF 캐나다"},
        "description": {
            "en": "Canadian think tank on Canada’s relations with Asia; co-organiser of the first "
            "Canada–Korea Track 1.5 Dialogue on AI.",
            "fr": "Groupe de réflexion canadien consacré aux relations du Canada avec l’Asie; "
            "coorganisateur du premier dialogue de type 1.5 Canada–Corée sur l’IA.",
            "ko": "캐나다와 아시아의 관계를 연구하는 캐나다의 싱크탱크로, 제1차 한-캐나다 인공지능 "
            "1.5트랙 대화를 공동 주최했다.",
        },
        "role": "co_host",
    },
    {
        "slug": "stepi",
        "kind": "think_tank",
        "country": "KR",
        "name": {
            "en": "Science and Technology Policy Institute",
            "fr": "Institut coréen de la politique scientifique et technologique",
            "ko": "과학기술정책연구원",
        },
        "acronym": {"en": "STEPI", "fr": "STEPI", "ko": "STEPI"},
        "description": {
            "en": "Korean public research institute on science and technology policy; co-organiser "
            "of the first Canada–Korea Track 1.5 Dialogue on AI.",
            "fr": "Institut public coréen de recherche sur la politique scientifique et "
            "technologique; coorganisateur du premier dialogue de type 1.5 Canada–Corée sur l’IA.",
            "ko": "과학기술 정책을 연구하는 한국의 공공 연구기관으로, 제1차 한-캐나다 인공지능 "
            "1.5트랙 대화를 공동 주최했다.",
        },
        "role": "co_host",
    },
    {
        "slug": "embassy-of-canada-to-korea",
        "kind": "diplomatic_mission",
        "country": "CA",
        "name": {
            "en": "Embassy of Canada to the Republic of Korea",
            "fr": "Ambassade du Canada en Corée du Sud",
            "ko": "주한 캐나다 대사관",
        },
        "acronym": {"en": "", "fr": "", "ko": ""},
        "description": {
            "en": "Canada’s embassy in Seoul; co-organiser of the first Canada–Korea Track 1.5 "
            "Dialogue on AI.",
            "fr": "Ambassade du Canada à Séoul; coorganisatrice du premier dialogue de type 1.5 "
            "Canada–Corée sur l’IA.",
            "ko": "서울에 있는 캐나다 대사관으로, 제1차 한-캐나다 인공지능 1.5트랙 대화를 공동 주최했다.",
        },
        "role": "host_government",
    },
]

THEMES = [
    {
        "slug": "regulatory-alignment",
        "order": 1,
        "name": {
            "en": "Regulatory alignment",
            "fr": "Harmonisation des cadres réglementaires",
            "ko": "규제 프레임워크 조화",
        },
        "description": {
            "en": "Aligning the two countries’ AI rules: intellectual property, data governance "
            "and technical interoperability.",
            "fr": "Harmoniser les règles des deux pays en matière d’IA : propriété intellectuelle, "
            "gouvernance des données et interopérabilité technique.",
            "ko": "지식재산권, 데이터 거버넌스, 기술 상호운용성 등 양국의 인공지능 관련 규범을 "
            "조화시키는 일.",
        },
    },
    {
        "slug": "ai-talent",
        "order": 2,
        "name": {
            "en": "Training and attracting AI talent",
            "fr": "Formation et attraction des talents en IA",
            "ko": "AI 인재 양성 및 유치",
        },
        "description": {
            "en": "Developing and attracting the people who build and use AI.",
            "fr": "Former et attirer les personnes qui conçoivent et utilisent l’IA.",
            "ko": "인공지능을 개발하고 활용할 인재를 키우고 끌어들이는 일.",
        },
    },
    {
        "slug": "energy-infrastructure",
        "order": 3,
        "name": {
            "en": "Energy infrastructure for AI",
            "fr": "Infrastructures énergétiques pour l’IA",
            "ko": "AI를 위한 에너지 인프라",
        },
        "description": {
            "en": "Expanding energy infrastructure to support the adoption of AI.",
            "fr": "Développer les infrastructures énergétiques pour soutenir l’adoption de l’IA.",
            "ko": "인공지능 도입을 뒷받침하기 위한 에너지 인프라 확충.",
        },
    },
    {
        "slug": "multilateral-leadership",
        "order": 4,
        "name": {
            "en": "Joint leadership in multilateral and Indo-Pacific initiatives",
            "fr": "Leadership conjoint dans les initiatives multilatérales et indo-pacifiques",
            "ko": "다자 및 인도·태평양 이니셔티브에서의 공동 리더십",
        },
        "description": {
            "en": "Opportunities for Canada and Korea to lead together in multilateral and regional "
            "Indo-Pacific initiatives on AI.",
            "fr": "Possibilités pour le Canada et la Corée d’exercer ensemble un leadership dans les "
            "initiatives multilatérales et régionales indo-pacifiques sur l’IA.",
            "ko": "인공지능에 관한 다자 및 인도·태평양 지역 이니셔티브에서 한국과 캐나다가 함께 "
            "주도적 역할을 할 기회.",
        },
    },
    {
        "slug": "adoption-commercialisation",
        "order": 5,
        "name": {
            "en": "AI adoption and commercialisation",
            "fr": "Adoption et commercialisation de l’IA",
            "ko": "AI 도입 및 상용화",
        },
        "description": {
            "en": "Moving from rhetoric to concrete action: implementation, adoption and "
            "commercialisation of AI, building on each country’s strengths.",
            "fr": "Passer de la rhétorique à l’action concrète : mise en œuvre, adoption et "
            "commercialisation de l’IA, en misant sur les forces de chaque pays.",
            "ko": "구호에서 구체적 실행으로: 각국의 강점을 살린 인공지능의 실행, 도입, 상용화.",
        },
    },
]

SERIES = {
    "slug": "canada-korea-ai-dialogue",
    "countries": ["CA", "KR"],
    "name": {
        "en": "Canada–Korea Track 1.5 Dialogue on Artificial Intelligence",
        "fr": "Dialogue de type 1.5 Canada–Corée sur l’intelligence artificielle",
        "ko": "한-캐나다 인공지능 1.5트랙 대화",
    },
    "description": {
        "en": "A Track 1.5 dialogue bringing together government, industry and academia from "
        "Canada and South Korea on AI governance, innovation and commercialisation.",
        "fr": "Un dialogue de type 1.5 réunissant des représentants des gouvernements, de "
        "l’industrie et du milieu universitaire du Canada et de la Corée du Sud sur la "
        "gouvernance, l’innovation et la commercialisation de l’IA.",
        "ko": "인공지능 거버넌스, 혁신, 상용화를 주제로 한국과 캐나다의 정부·산업계·학계 인사가 "
        "모이는 1.5트랙 대화.",
    },
}

MILESTONES = [
    {
        "event_date": dt.date(2014, 1, 1),
        "date_precision": "year",
        "title": {
            "en": "Canada–Korea Free Trade Agreement signed",
            "fr": "Signature de l’Accord de libre-échange Canada-Corée",
            "ko": "한-캐나다 자유무역협정 서명",
        },
        "description": {
            "en": "The starting point of a decade in which bilateral relations deepened markedly.",
            "fr": "Point de départ d’une décennie au cours de laquelle les relations bilatérales se "
            "sont nettement approfondies.",
            "ko": "이후 10년간 양국 관계가 눈에 띄게 깊어지는 출발점이 되었다.",
        },
    },
    {
        "event_date": dt.date(2022, 1, 1),
        "date_precision": "year",
        "title": {
            "en": "Ties elevated to a Comprehensive Strategic Partnership",
            "fr": "Élévation des liens au rang de Partenariat stratégique global",
            "ko": "포괄적 전략적 동반자 관계로 격상",
        },
        "description": {
            "en": "Canada and South Korea raise their relationship to a Comprehensive Strategic "
            "Partnership (CSP).",
            "fr": "Le Canada et la Corée du Sud élèvent leur relation au rang de Partenariat "
            "stratégique global (PSG).",
            "ko": "한국과 캐나다가 양국 관계를 포괄적 전략적 동반자 관계(CSP)로 격상했다.",
        },
    },
    {
        "event_date": dt.date(2024, 1, 1),
        "date_precision": "year",
        "title": {
            "en": "Comprehensive Strategic Partnership Action Plan published",
            "fr": "Publication du Plan d’action du Partenariat stratégique global",
            "ko": "포괄적 전략적 동반자 관계 행동계획 발표",
        },
        "description": {
            "en": "The Action Plan lays solid foundations for closer, institutionalised cooperation "
            "among academia, industry and government, notably through recent agreements on critical "
            "minerals, energy security and strategic defence coordination.",
            "fr": "Le Plan d’action jette des bases solides pour une coopération accrue et "
            "institutionnalisée entre milieux académique, industriel et gouvernemental, notamment à "
            "travers des ententes récentes sur les minéraux critiques, la sécurité énergétique et la "
            "coordination stratégique en matière de défense.",
            "ko": "행동계획은 핵심 광물, 에너지 안보, 국방 전략 조율에 관한 최근 합의 등을 통해 "
            "학계·산업계·정부 간 협력을 확대하고 제도화할 탄탄한 기반을 마련했다.",
        },
    },
    {
        "event_date": dt.date(2025, 1, 1),
        "date_precision": "year",
        "title": {
            "en": "Canada holds the G7 presidency",
            "fr": "Le Canada assure la présidence du G7",
            "ko": "캐나다, G7 의장국 수임",
        },
        "description": {
            "en": "Canada promotes an AI agenda centred on innovation, infrastructure and adoption "
            "in the public sector.",
            "fr": "Le Canada fait la promotion d’un agenda axé sur l’IA et centré sur l’innovation, "
            "l’infrastructure et l’adoption dans le secteur public.",
            "ko": "캐나다는 혁신, 인프라, 공공 부문 도입을 중심으로 한 인공지능 의제를 추진한다.",
        },
    },
    {
        "event_date": dt.date(2025, 1, 1),
        "date_precision": "year",
        "title": {
            "en": "South Korea chairs APEC",
            "fr": "La Corée du Sud préside l’APEC",
            "ko": "한국, APEC 의장국 수임",
        },
        "description": {
            "en": "South Korea, chair of Asia-Pacific Economic Cooperation (APEC), puts AI and "
            "digital transformation at the heart of its regional agenda.",
            "fr": "La Corée du Sud, qui préside le forum de Coopération économique Asie-Pacifique "
            "(APEC), place l’IA et la transformation numérique au cœur de son programme régional.",
            "ko": "아시아태평양경제협력체(APEC) 의장국인 한국은 인공지능과 디지털 전환을 지역 의제의 "
            "중심에 둔다.",
        },
    },
]

DIALOGUE = {
    "slug": "canada-korea-ai-2025",
    "edition": 1,
    "track": "1.5",
    "start_date": dt.date(2025, 7, 9),
    "end_date": dt.date(2025, 7, 9),
    "country": "KR",
    "is_chatham_house": False,
    "themes": [theme["slug"] for theme in THEMES],
    "title": {
        "en": "First Canada–Korea Track 1.5 Dialogue on Artificial Intelligence",
        "fr": "Premier dialogue de type 1.5 Canada–Corée sur l’intelligence artificielle",
        "ko": "제1차 한-캐나다 인공지능 1.5트랙 대화",
    },
    "city": {"en": "Seoul", "fr": "Séoul", "ko": "서울"},
    "venue": {"en": "", "fr": "", "ko": ""},
    "summary": {
        "en": "Senior representatives of government, industry and academia from Canada and South "
        "Korea met in Seoul to explore new avenues for bilateral collaboration on AI governance, "
        "innovation and commercialisation.",
        "fr": "Des représentants de haut niveau des gouvernements, de l’industrie et du milieu "
        "universitaire du Canada et de la Corée du Sud se sont réunis à Séoul pour explorer de "
        "nouvelles avenues de collaboration bilatérale en gouvernance, innovation et "
        "commercialisation de l’IA.",
        "ko": "한국과 캐나다의 정부·산업계·학계 고위 인사들이 서울에 모여 인공지능 거버넌스, 혁신, "
        "상용화 분야에서 양국 협력의 새로운 길을 모색했다.",
    },
    "context": {
        "en": (
            "Canada, a global leader in fundamental AI research and governance, is a natural "
            "partner for South Korea, which has established itself as a leading player in AI "
            "adoption, regulation and commercialisation.\n\n"
            "Bilateral relations have deepened markedly over the past decade, from the signing of "
            "the Canada–Korea Free Trade Agreement in 2014 to the elevation of ties to a "
            "Comprehensive Strategic Partnership (CSP) in 2022. The CSP Action Plan, published in "
            "2024, laid solid foundations for closer, institutionalised cooperation among academia, "
            "industry and government.\n\n"
            "The dialogue took place against a backdrop of intensifying competition between the "
            "United States and China and of rapid technological change. The new governments of both "
            "countries have made AI a strategic national priority: Canada, holding the G7 "
            "presidency in 2025, promotes an AI agenda centred on innovation, infrastructure and "
            "public-sector adoption, while South Korea, chairing APEC in 2025, puts AI and digital "
            "transformation at the heart of its regional agenda. This rare convergence of "
            "leadership and political will made the dialogue particularly timely."
        ),
        "fr": (
            "Le Canada, chef de file mondial en recherche fondamentale et en gouvernance de "
            "l’intelligence artificielle, est un partenaire naturel pour la Corée du Sud, qui "
            "s’est imposée comme un acteur de pointe en adoption, en réglementation et en "
            "commercialisation de l’IA.\n\n"
            "Les relations bilatérales se sont nettement approfondies au cours de la dernière "
            "décennie, de la signature de l’Accord de libre-échange Canada-Corée en 2014 à "
            "l’élévation des liens au rang de Partenariat stratégique global (PSG) en 2022. Le Plan "
            "d’action du PSG, publié en 2024, a jeté des bases solides pour une coopération accrue "
            "et institutionnalisée entre milieux académique, industriel et gouvernemental.\n\n"
            "Le dialogue s’est déroulé dans un contexte de compétition accrue entre les États-Unis "
            "et la Chine et de mutations technologiques rapides. Les nouveaux gouvernements des "
            "deux pays ont fait de l’IA une priorité nationale stratégique : le Canada, qui assure "
            "la présidence du G7 en 2025, promeut un agenda centré sur l’innovation, "
            "l’infrastructure et l’adoption dans le secteur public, tandis que la Corée du Sud, qui "
            "préside l’APEC en 2025, place l’IA et la transformation numérique au cœur de son "
            "programme régional. Cette convergence exceptionnelle de leadership et de volonté "
            "politique a rendu ce dialogue particulièrement opportun."
        ),
        "ko": (
            "인공지능 기초 연구와 거버넌스 분야의 세계적 선도국인 캐나다는 인공지능의 도입, 규제, "
            "상용화에서 앞서 나가는 한국에 자연스러운 협력 상대이다.\n\n"
            "양국 관계는 지난 10년간 눈에 띄게 깊어졌다. 2014년 한-캐나다 자유무역협정 서명에서 "
            "2022년 포괄적 전략적 동반자 관계(CSP) 격상에 이르렀고, 2024년에 발표된 CSP 행동계획은 "
            "학계·산업계·정부 간 협력을 확대하고 제도화할 탄탄한 기반을 마련했다.\n\n"
            "이번 대화는 미중 경쟁이 격화되고 기술이 빠르게 변화하는 가운데 열렸다. 양국의 새 정부는 "
            "모두 인공지능을 국가 전략 과제로 정했다. 2025년 G7 의장국인 캐나다는 혁신, 인프라, 공공 "
            "부문 도입을 중심으로 한 인공지능 의제를 추진하고, 같은 해 APEC 의장국인 한국은 인공지능과 "
            "디지털 전환을 지역 의제의 중심에 두고 있다. 이처럼 드물게 리더십과 정치적 의지가 맞물리면서 "
            "이번 1.5트랙 대화는 더없이 시의적절한 자리가 되었다."
        ),
    },
}
