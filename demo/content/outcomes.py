"""The demo dialogue's findings and recommendations, each with its place in the summary."""

_KEY_FINDINGS = {"en": "Key findings", "fr": "Principales conclusions", "ko": "주요 결론"}
_PARAGRAPH = {"en": "paragraph", "fr": "paragraphe", "ko": "문단"}
_ITEM = {"en": "item", "fr": "point", "ko": "항목"}


def _key_finding_locator(number: int) -> dict[str, str]:
    return {lang: f"{_KEY_FINDINGS[lang]}, {_ITEM[lang]} {number}" for lang in _KEY_FINDINGS}


def _paragraph_locator(number: int) -> dict[str, str]:
    return {lang: f"{_PARAGRAPH[lang].capitalize()} {number}" for lang in _PARAGRAPH}


FINDINGS = [
    {
        "order": 1,
        "kind": "key_finding",
        "themes": ["energy-infrastructure"],
        "source_locator": _key_finding_locator(1),
        "title": {
            "en": "Energy as a strategic lever",
            "fr": "L’énergie comme levier stratégique",
            "ko": "전략적 지렛대로서의 에너지",
        },
        "summary": {
            "en": "South Korea’s growing energy needs to power artificial intelligence can be met "
            "with Canadian exports of liquefied natural gas (LNG) and nuclear partnerships.",
            "fr": "Les besoins croissants en énergie de la Corée du Sud pour alimenter "
            "l’intelligence artificielle peuvent être soutenus grâce aux exportations canadiennes de "
            "gaz naturel liquéfié (GNL) et aux partenariats nucléaires.",
            "ko": "인공지능 구동을 위해 늘어나는 한국의 에너지 수요는 캐나다산 액화천연가스(LNG) 수출과 "
            "원자력 협력으로 뒷받침할 수 있다.",
        },
    },
    {
        "order": 2,
        "kind": "key_finding",
        "themes": ["regulatory-alignment", "adoption-commercialisation"],
        "source_locator": _key_finding_locator(2),
        "title": {
            "en": "Complementary strengths, shared standards",
            "fr": "Forces complémentaires, normes partagées",
            "ko": "상호 보완적 강점, 공유된 표준",
        },
        "summary": {
            "en": "Realising the full potential of bilateral cooperation requires aligning "
            "intellectual property protection, data governance and collaboration, and technical "
            "interoperability. These foundations are indispensable to joint commercialisation and "
            "innovation.",
            "fr": "Pour exploiter tout le potentiel d’une coopération bilatérale, il est essentiel "
            "d’harmoniser la protection de la propriété intellectuelle, la gouvernance et la "
            "collaboration en matière de données ainsi que l’interopérabilité technique. Ces "
            "fondements sont indispensables à la commercialisation conjointe et à l’innovation.",
            "ko": "양국 협력의 잠재력을 온전히 살리려면 지식재산권 보호, 데이터 거버넌스와 데이터 협력, "
            "기술 상호운용성을 조화시키는 것이 필수적이다. 이러한 토대는 공동 상용화와 혁신에 반드시 "
            "필요하다.",
        },
    },
    {
        "order": 3,
        "kind": "key_finding",
        "themes": ["multilateral-leadership", "regulatory-alignment"],
        "source_locator": _key_finding_locator(3),
        "title": {
            "en": "International influence through partnership",
            "fr": "L’influence internationale par le partenariat",
            "ko": "협력을 통한 국제적 영향력",
        },
        "summary": {
            "en": "Canada’s role as a G7 leader on regulation, combined with South Korea’s growing "
            "leadership with the Global South and in the Indo-Pacific, allows the two countries to "
            "shape together AI governance frameworks that are inclusive, safe and forward-looking.",
            "fr": "Le rôle du Canada, chef de file du G7 en matière de réglementation, conjugué au "
            "leadership croissant de la Corée du Sud auprès du Sud global et dans l’espace "
            "indo-pacifique, permet de façonner ensemble des cadres de gouvernance de l’IA "
            "inclusifs, sécuritaires et tournés vers l’avenir.",
            "ko": "규제 분야에서 G7을 이끄는 캐나다의 역할과 글로벌 사우스 및 인도·태평양 지역에서 "
            "커지는 한국의 리더십이 결합하면, 양국은 포용적이고 안전하며 미래지향적인 인공지능 거버넌스 "
            "체계를 함께 만들어 갈 수 있다.",
        },
    },
    {
        "order": 4,
        "kind": "key_finding",
        "themes": ["adoption-commercialisation", "energy-infrastructure"],
        "source_locator": _key_finding_locator(4),
        "title": {
            "en": "Canada–Korea commercial opportunities",
            "fr": "Possibilités commerciales Canada–Corée",
            "ko": "한-캐나다 상업적 기회",
        },
        "summary": {
            "en": "Commercial opportunities reach beyond the energy sector, to Korean AI hardware "
            "and chips in Canadian data centres and computing infrastructure, and to South Korean "
            "companies licensing Canadian AI solutions and helping them scale globally.",
            "fr": "Les opportunités commerciales dépassent le secteur de l’énergie et englobent "
            "notamment l’utilisation potentielle du matériel et des puces IA coréennes dans les "
            "centres de données et infrastructures informatiques canadiennes, ainsi que la "
            "possibilité pour des entreprises sud-coréennes de licencier et de contribuer à la mise "
            "à l’échelle mondiale de solutions IA canadiennes.",
            "ko": "상업적 기회는 에너지 분야를 넘어, 캐나다의 데이터센터와 컴퓨팅 인프라에 한국산 AI "
            "하드웨어와 칩을 활용하는 일, 그리고 한국 기업이 캐나다의 AI 솔루션을 라이선스하여 세계 "
            "시장으로 확산하도록 돕는 일까지 아우른다.",
        },
    },
    {
        "order": 5,
        "kind": "opportunity",
        "themes": ["adoption-commercialisation", "energy-infrastructure"],
        "source_locator": _key_finding_locator(4),
        "title": {
            "en": "Korean AI hardware and chips for Canadian data centres",
            "fr": "Matériel et puces IA coréens pour les centres de données canadiens",
            "ko": "캐나다 데이터센터를 위한 한국산 AI 하드웨어와 칩",
        },
        "summary": {
            "en": "Korean AI hardware and chips could potentially be used in Canadian data centres "
            "and computing infrastructure.",
            "fr": "Le matériel et les puces IA coréens pourraient être utilisés dans les centres de "
            "données et les infrastructures informatiques canadiennes.",
            "ko": "한국산 AI 하드웨어와 칩이 캐나다의 데이터센터와 컴퓨팅 인프라에 쓰일 가능성이 있다.",
        },
    },
    {
        "order": 6,
        "kind": "opportunity",
        "themes": ["adoption-commercialisation"],
        "source_locator": _key_finding_locator(4),
        "title": {
            "en": "Korean companies licensing and scaling Canadian AI solutions",
            "fr": "Des entreprises coréennes pour licencier et mettre à l’échelle des solutions IA "
            "canadiennes",
            "ko": "캐나다 AI 솔루션의 라이선스와 확산을 맡는 한국 기업",
        },
        "summary": {
            "en": "South Korean companies could license Canadian AI solutions and help scale them globally.",
            "fr": "Des entreprises sud-coréennes pourraient licencier des solutions IA canadiennes "
            "et contribuer à leur mise à l’échelle mondiale.",
            "ko": "한국 기업이 캐나다의 AI 솔루션을 라이선스하고 세계 시장으로의 확산을 도울 수 있다.",
        },
    },
    {
        "order": 7,
        "kind": "observation",
        "themes": [],
        "source_locator": _paragraph_locator(2),
        "title": {
            "en": "AI is central to both countries’ economic and strategic future",
            "fr": "L’IA est centrale pour l’avenir économique et stratégique des deux pays",
            "ko": "인공지능은 양국의 경제적·전략적 미래의 중심",
        },
        "summary": {
            "en": "Against a backdrop of intensifying US–China competition and rapid technological "
            "change, the dialogue confirmed a shared recognition that AI is central to the economic "
            "and strategic future of Canada and South Korea.",
            "fr": "Dans un contexte de compétition accrue entre les États-Unis et la Chine et de "
            "mutations technologiques rapides, le dialogue a confirmé la reconnaissance partagée que "
            "l’IA est centrale pour l’avenir économique et stratégique du Canada et de la Corée du "
            "Sud.",
            "ko": "미중 경쟁 격화와 급속한 기술 변화 속에서, 이번 대화는 인공지능이 한국과 캐나다의 "
            "경제적·전략적 미래에 핵심이라는 공통된 인식을 확인했다.",
        },
    },
    {
        "order": 8,
        "kind": "observation",
        "themes": ["adoption-commercialisation"],
        "source_locator": _paragraph_locator(4),
        "title": {
            "en": "From rhetoric to concrete action",
            "fr": "De la rhétorique à l’action concrète",
            "ko": "구호에서 구체적 실행으로",
        },
        "summary": {
            "en": "The dialogue stressed moving from rhetoric to concrete action: putting "
            "implementation first, fostering the adoption and commercialisation of AI, and drawing "
            "on the two countries’ complementary strengths, Canada’s leadership in AI research and "
            "Korea’s edge in advanced hardware and practical applications.",
            "fr": "Le dialogue a mis l’accent sur le passage de la rhétorique à l’action concrète : "
            "privilégier la mise en œuvre, favoriser l’adoption et la commercialisation de l’IA, et "
            "tirer profit des forces complémentaires des deux pays, soit le leadership du Canada en "
            "recherche en IA et l’avantage de la Corée en matière de matériel avancé et "
            "d’applications pratiques.",
            "ko": "이번 대화는 구호를 넘어 구체적 실행으로 나아가야 한다는 점을 강조했다. 실행을 "
            "우선하고, 인공지능의 도입과 상용화를 촉진하며, 캐나다의 인공지능 연구 리더십과 첨단 "
            "하드웨어 및 실용적 응용에서의 한국의 강점이라는 양국의 상호 보완적 강점을 살려야 한다는 "
            "것이다.",
        },
    },
]

RECOMMENDATIONS = [
    {
        "order": 1,
        "source_findings": [2],
        "themes": ["regulatory-alignment"],
        "addressee_countries": ["CA", "KR"],
        "priority": "high",
        "horizon": "medium",
        "title": {
            "en": "Align intellectual property, data governance and technical interoperability",
            "fr": "Harmoniser propriété intellectuelle, gouvernance des données et interopérabilité "
            "technique",
            "ko": "지식재산권, 데이터 거버넌스, 기술 상호운용성의 조화",
        },
        "body": {
            "en": "Canada and South Korea should align intellectual property protection, data "
            "governance and collaboration, and technical interoperability, the foundations of joint "
            "commercialisation and innovation.",
            "fr": "Le Canada et la Corée du Sud devraient harmoniser la protection de la propriété "
            "intellectuelle, la gouvernance et la collaboration en matière de données ainsi que "
            "l’interopérabilité technique, fondements de la commercialisation conjointe et de "
            "l’innovation.",
            "ko": "한국과 캐나다는 공동 상용화와 혁신의 토대인 지식재산권 보호, 데이터 거버넌스와 "
            "데이터 협력, 기술 상호운용성을 조화시켜야 한다.",
        },
    },
    {
        "order": 2,
        "source_findings": [3],
        "themes": ["multilateral-leadership"],
        "addressee_countries": ["CA", "KR"],
        "priority": "medium",
        "horizon": "medium",
        "title": {
            "en": "Shape inclusive, safe and forward-looking AI governance frameworks together",
            "fr": "Façonner ensemble des cadres de gouvernance de l’IA inclusifs, sécuritaires et "
            "tournés vers l’avenir",
            "ko": "포용적이고 안전하며 미래지향적인 인공지능 거버넌스 체계의 공동 설계",
        },
        "body": {
            "en": "Canada and South Korea should combine Canada’s G7 leadership on regulation with "
            "South Korea’s growing leadership with the Global South and in the Indo-Pacific to "
            "shape AI governance frameworks together.",
            "fr": "Le Canada et la Corée du Sud devraient conjuguer le leadership du Canada au G7 en "
            "matière de réglementation et le leadership croissant de la Corée du Sud auprès du Sud "
            "global et dans l’espace indo-pacifique pour façonner ensemble les cadres de gouvernance "
            "de l’IA.",
            "ko": "한국과 캐나다는 규제 분야에서 캐나다가 지닌 G7 리더십과 글로벌 사우스 및 "
            "인도·태평양 지역에서 커지는 한국의 리더십을 결합해 인공지능 거버넌스 체계를 함께 만들어 "
            "가야 한다.",
        },
    },
    {
        "order": 3,
        "source_findings": [1],
        "themes": ["energy-infrastructure"],
        "addressee_countries": ["CA", "KR"],
        "priority": "medium",
        "horizon": "long",
        "title": {
            "en": "Meet Korea’s AI energy needs through Canadian LNG and nuclear partnerships",
            "fr": "Répondre aux besoins énergétiques de l’IA en Corée grâce au GNL canadien et aux "
            "partenariats nucléaires",
            "ko": "캐나다산 LNG와 원자력 협력으로 한국의 인공지능 에너지 수요 대응",
        },
        "body": {
            "en": "Use Canadian exports of liquefied natural gas and nuclear partnerships to support "
            "South Korea’s growing energy needs for artificial intelligence.",
            "fr": "Mettre à profit les exportations canadiennes de gaz naturel liquéfié et les "
            "partenariats nucléaires pour soutenir les besoins croissants en énergie de la Corée du "
            "Sud liés à l’intelligence artificielle.",
            "ko": "캐나다산 액화천연가스 수출과 원자력 협력을 활용해 인공지능으로 늘어나는 한국의 에너지 "
            "수요를 뒷받침한다.",
        },
    },
    {
        "order": 4,
        "source_findings": [4, 5, 6, 8],
        "themes": ["adoption-commercialisation"],
        "addressee_countries": ["CA", "KR"],
        "priority": "high",
        "horizon": "short",
        "title": {
            "en": "Put implementation first: foster AI adoption and commercialisation",
            "fr": "Privilégier la mise en œuvre : favoriser l’adoption et la commercialisation de l’IA",
            "ko": "실행 우선: 인공지능 도입과 상용화 촉진",
        },
        "body": {
            "en": "Move from rhetoric to concrete action by fostering the adoption and "
            "commercialisation of AI, building on Canada’s leadership in AI research and Korea’s "
            "edge in advanced hardware and practical applications.",
            "fr": "Passer de la rhétorique à l’action concrète en favorisant l’adoption et la "
            "commercialisation de l’IA, en misant sur le leadership du Canada en recherche en IA et "
            "sur l’avantage de la Corée en matière de matériel avancé et d’applications pratiques.",
            "ko": "캐나다의 인공지능 연구 리더십과 첨단 하드웨어 및 실용적 응용에서의 한국의 강점을 "
            "바탕으로 인공지능의 도입과 상용화를 촉진하여 구호를 넘어 구체적 실행으로 나아간다.",
        },
    },
]
