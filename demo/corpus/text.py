"""Word lists and sentence templates for the synthetic corpus, in English, French and Korean.

Each template is written three times so that one record's texts translate one another. French
articles contract (de + le = du, à + les = aux) and Korean particles follow the final consonant
of the word they attach to (캐나다와 but 한국과, 에너지를 but 반도체를), so the Korean text
exercises search with particles attached, as real Korean prose does.
"""

import random

from demo.corpus.grammar import a, cap, de, ko

# (ISO code, English, French with article, Korean)
COUNTRIES = [
    ("CA", "Canada", "le Canada", "캐나다"),
    ("KR", "Korea", "la Corée", "한국"),
    ("JP", "Japan", "le Japon", "일본"),
    ("DE", "Germany", "l’Allemagne", "독일"),
    ("FR", "France", "la France", "프랑스"),
    ("AU", "Australia", "l’Australie", "호주"),
    ("IN", "India", "l’Inde", "인도"),
    ("ID", "Indonesia", "l’Indonésie", "인도네시아"),
    ("VN", "Viet Nam", "le Viêt Nam", "베트남"),
    ("GB", "the United Kingdom", "le Royaume-Uni", "영국"),
    ("US", "the United States", "les États-Unis", "미국"),
    ("MX", "Mexico", "le Mexique", "멕시코"),
    ("BR", "Brazil", "le Brésil", "브라질"),
    ("CL", "Chile", "le Chili", "칠레"),
    ("PH", "the Philippines", "les Philippines", "필리핀"),
    ("SG", "Singapore", "Singapour", "싱가포르"),
    ("NZ", "New Zealand", "la Nouvelle-Zélande", "뉴질랜드"),
    ("IT", "Italy", "l’Italie", "이탈리아"),
    ("SE", "Sweden", "la Suède", "스웨덴"),
    ("NO", "Norway", "la Norvège", "노르웨이"),
]

# Policy topics: (English, French with article, Korean)
TOPICS = [
    ("energy security", "la sécurité énergétique", "에너지 안보"),
    ("critical minerals", "les minéraux critiques", "핵심 광물"),
    ("artificial intelligence", "l’intelligence artificielle", "인공지능"),
    ("semiconductors", "les semi-conducteurs", "반도체"),
    ("supply chains", "les chaînes d’approvisionnement", "공급망"),
    ("liquefied natural gas", "le gaz naturel liquéfié", "액화천연가스"),
    ("hydrogen", "l’hydrogène", "수소"),
    ("nuclear energy", "l’énergie nucléaire", "원자력"),
    ("small modular reactors", "les petits réacteurs modulaires", "소형모듈원자로"),
    ("climate adaptation", "l’adaptation au climat", "기후 적응"),
    ("carbon pricing", "la tarification du carbone", "탄소 가격제"),
    ("data governance", "la gouvernance des données", "데이터 거버넌스"),
    ("cybersecurity", "la cybersécurité", "사이버 보안"),
    ("quantum computing", "l’informatique quantique", "양자 컴퓨팅"),
    ("talent mobility", "la mobilité des talents", "인재 이동"),
    ("higher education", "l’enseignement supérieur", "고등 교육"),
    ("research funding", "le financement de la recherche", "연구 자금"),
    ("public health", "la santé publique", "공중 보건"),
    ("food security", "la sécurité alimentaire", "식량 안보"),
    ("ocean governance", "la gouvernance des océans", "해양 거버넌스"),
    ("Arctic research", "la recherche arctique", "북극 연구"),
    ("defence procurement", "les achats de défense", "방산 조달"),
    ("maritime security", "la sécurité maritime", "해양 안보"),
    ("trade diversification", "la diversification commerciale", "무역 다변화"),
    ("foreign investment", "l’investissement étranger", "해외 투자"),
    ("export controls", "le contrôle des exportations", "수출 통제"),
    ("digital trade", "le commerce numérique", "디지털 무역"),
    ("space cooperation", "la coopération spatiale", "우주 협력"),
    ("electric vehicles", "les véhicules électriques", "전기차"),
    ("battery manufacturing", "la fabrication de batteries", "배터리 제조"),
    ("clean technology", "les technologies propres", "청정 기술"),
    ("biotechnology", "la biotechnologie", "생명공학"),
    ("regulatory alignment", "l’harmonisation réglementaire", "규제 정합성"),
    ("standards development", "l’élaboration de normes", "표준 개발"),
    ("intellectual property", "la propriété intellectuelle", "지식재산"),
    ("small businesses", "les petites entreprises", "중소기업"),
    ("Indigenous partnerships", "les partenariats autochtones", "원주민 협력"),
    ("disinformation", "la désinformation", "허위 정보"),
    ("election integrity", "l’intégrité des élections", "선거 무결성"),
    ("pandemic preparedness", "la préparation aux pandémies", "감염병 대비"),
    ("population ageing", "le vieillissement de la population", "인구 고령화"),
    ("labour shortages", "les pénuries de main-d’œuvre", "인력 부족"),
    ("infrastructure finance", "le financement des infrastructures", "인프라 금융"),
    ("development assistance", "l’aide au développement", "개발 협력"),
    ("sanctions policy", "la politique de sanctions", "제재 정책"),
    ("multilateral institutions", "les institutions multilatérales", "다자 기구"),
    ("economic security", "la sécurité économique", "경제 안보"),
    ("tourism recovery", "la relance du tourisme", "관광 회복"),
    ("renewable energy", "les énergies renouvelables", "재생에너지"),
    ("offshore wind", "l’éolien en mer", "해상풍력"),
    ("electricity grids", "les réseaux électriques", "전력망"),
    ("energy efficiency", "l’efficacité énergétique", "에너지 효율"),
    ("uranium supply", "l’approvisionnement en uranium", "우라늄 공급"),
    ("carbon capture", "le captage du carbone", "탄소 포집"),
    ("robotics", "la robotique", "로봇공학"),
    ("cloud computing", "l’infonuagique", "클라우드 컴퓨팅"),
    ("telecommunications", "les télécommunications", "통신"),
    ("6G networks", "les réseaux 6G", "6G 네트워크"),
    ("autonomous vehicles", "les véhicules autonomes", "자율주행차"),
    ("digital identity", "l’identité numérique", "디지털 신원"),
    ("open data", "les données ouvertes", "개방형 데이터"),
    ("shipbuilding", "la construction navale", "조선업"),
    ("agri-food trade", "le commerce agroalimentaire", "농식품 무역"),
    ("free trade agreements", "les accords de libre-échange", "자유무역협정"),
    ("customs cooperation", "la coopération douanière", "관세 협력"),
    ("venture capital", "le capital de risque", "벤처 투자"),
    ("pension fund investment", "l’investissement des caisses de retraite", "연기금 투자"),
    ("currency stability", "la stabilité monétaire", "통화 안정"),
    ("nuclear non-proliferation", "la non-prolifération nucléaire", "핵 비확산"),
    ("North Korea policy", "la politique envers la Corée du Nord", "대북 정책"),
    ("peacekeeping", "le maintien de la paix", "평화유지"),
    (
        "critical infrastructure protection",
        "la protection des infrastructures essentielles",
        "핵심 기반시설 보호",
    ),
    ("counter-terrorism", "la lutte contre le terrorisme", "대테러"),
    ("Indo-Pacific strategy", "la stratégie indo-pacifique", "인도태평양 전략"),
    ("mental health", "la santé mentale", "정신 건강"),
    ("immigration policy", "la politique d’immigration", "이민 정책"),
    ("gender equality", "l’égalité des genres", "성평등"),
    ("youth employment", "l’emploi des jeunes", "청년 고용"),
    ("housing affordability", "l’accessibilité au logement", "주거 안정"),
    ("vaccine development", "le développement de vaccins", "백신 개발"),
    ("biodiversity", "la biodiversité", "생물다양성"),
    ("forest management", "la gestion des forêts", "산림 관리"),
    ("plastic pollution", "la pollution plastique", "플라스틱 오염"),
    ("wildfire response", "la lutte contre les feux de forêt", "산불 대응"),
    ("water security", "la sécurité de l’eau", "물 안보"),
    ("climate finance", "le financement climatique", "기후 재원"),
    ("student exchanges", "les échanges étudiants", "학생 교류"),
    ("language education", "l’enseignement des langues", "언어 교육"),
    ("scientific publishing", "l’édition scientifique", "학술 출판"),
    ("polar science", "la science polaire", "극지 과학"),
    ("public service reform", "la réforme de la fonction publique", "공공 부문 개혁"),
    ("anti-corruption", "la lutte contre la corruption", "반부패"),
    ("trade dispute settlement", "le règlement des différends commerciaux", "통상 분쟁 해결"),
    ("local governance", "la gouvernance locale", "지방 행정"),
    ("privacy law", "le droit de la vie privée", "개인정보 보호법"),
    ("algorithmic accountability", "la responsabilité algorithmique", "알고리즘 책임성"),
]

# Actors: (English, French with article, Korean)
ACTORS = [
    ("companies", "les entreprises", "기업"),
    ("universities", "les universités", "대학"),
    ("research institutes", "les instituts de recherche", "연구기관"),
    ("regional governments", "les gouvernements régionaux", "지방정부"),
    ("civil society groups", "les organisations de la société civile", "시민사회 단체"),
    ("investors", "les investisseurs", "투자자"),
    ("regulators", "les organismes de réglementation", "규제 당국"),
    ("start-ups", "les jeunes pousses", "스타트업"),
]

# Where a country hosts a dialogue: (English, French, Korean), by ISO code.
CITIES = {
    "CA": ("Ottawa", "Ottawa", "오타와"),
    "KR": ("Seoul", "Séoul", "서울"),
    "JP": ("Tokyo", "Tokyo", "도쿄"),
    "DE": ("Berlin", "Berlin", "베를린"),
    "FR": ("Paris", "Paris", "파리"),
    "AU": ("Canberra", "Canberra", "캔버라"),
    "IN": ("New Delhi", "New Delhi", "뉴델리"),
    "ID": ("Jakarta", "Jakarta", "자카르타"),
    "VN": ("Hanoi", "Hanoï", "하노이"),
    "GB": ("London", "Londres", "런던"),
    "US": ("Washington", "Washington", "워싱턴"),
    "MX": ("Mexico City", "Mexico", "멕시코시티"),
    "BR": ("Brasília", "Brasilia", "브라질리아"),
    "CL": ("Santiago", "Santiago", "산티아고"),
    "PH": ("Manila", "Manille", "마닐라"),
    "SG": ("Singapore", "Singapour", "싱가포르"),
    "NZ": ("Wellington", "Wellington", "웰링턴"),
    "IT": ("Rome", "Rome", "로마"),
    "SE": ("Stockholm", "Stockholm", "스톡홀름"),
    "NO": ("Oslo", "Oslo", "오슬로"),
}

# Top-level themes; each topic above is a second-level theme under one of them.
THEME_GROUPS = [
    ("Energy", "Énergie", "에너지"),
    ("Technology", "Technologie", "기술"),
    ("Trade and economy", "Commerce et économie", "통상과 경제"),
    ("Security", "Sécurité", "안보"),
    ("Society and health", "Société et santé", "사회와 보건"),
    ("Environment and climate", "Environnement et climat", "환경과 기후"),
    ("Science and education", "Science et éducation", "과학과 교육"),
    ("Governance", "Gouvernance", "거버넌스"),
]
# The group (index in THEME_GROUPS) of each topic, in TOPICS order.
TOPIC_GROUP = [
    int(digit)
    for digit in (
        "001120000551316664456332222611517772437444273732000005111111122222223333334444445555556666777777"
    )
]

# Korean given names first, with their Hangul spelling.
KOREAN_GIVEN_NAMES = [
    ("Min-jun", "민준"),
    ("Seo-yeon", "서연"),
    ("Ji-hoon", "지훈"),
    ("Ha-eun", "하은"),
    ("Do-yun", "도윤"),
    ("Su-bin", "수빈"),
    ("Hyun-woo", "현우"),
    ("Ye-jin", "예진"),
]
GIVEN_NAMES = [
    "Alexandre",
    "Camille",
    "Émilie",
    "Julien",
    "Sophie",
    "Mathieu",
    "Chloé",
    "Olivier",
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Priya",
    "Arjun",
    "Hiroshi",
    "Yuki",
    "Lena",
    "Jonas",
]
KOREAN_FAMILY_NAMES = [
    ("Kim", "김"),
    ("Lee", "이"),
    ("Park", "박"),
    ("Choi", "최"),
    ("Jung", "정"),
    ("Kang", "강"),
    ("Cho", "조"),
    ("Yoon", "윤"),
    ("Jang", "장"),
    ("Lim", "임"),
]
FAMILY_NAMES = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Martin",
    "Smith",
    "Brown",
    "Wilson",
    "MacDonald",
    "Singh",
    "Sato",
    "Müller",
    "Nguyen",
    "Santos",
    "Okafor",
]
POSITIONS = [
    ("Director", "Directrice", "국장"),
    ("Senior Fellow", "Chercheuse principale", "선임연구위원"),
    ("Professor", "Professeur", "교수"),
    ("Deputy Minister", "Sous-ministre", "차관"),
    ("Counsellor", "Conseiller", "참사관"),
    ("Chief Executive Officer", "Présidente-directrice générale", "대표이사"),
    ("Policy Analyst", "Analyste des politiques", "정책 분석가"),
    ("Research Fellow", "Chercheur associé", "연구위원"),
]

# Organisation names: (English, French, Korean) with {t} a topic and {c} a country.
ORGANIZATION_STEMS = [
    ("{c} Institute for {T}", "Institut {de_c} pour {t}", "{c} {t} 연구원"),
    ("{c} Centre for {T}", "Centre {de_c} sur {t}", "{c} {t} 센터"),
    ("{c} Council on {T}", "Conseil {de_c} sur {t}", "{c} {t} 협의회"),
    ("{c} Agency for {T}", "Agence {de_c} pour {t}", "{c} {t} 진흥원"),
]


FINDING_TITLES = [
    lambda s: (
        f"{cap(s['t'][0])} as a lever for {s['u'][0]}",
        f"{cap(s['t'][1])} comme levier pour {s['u'][1]}",
        f"{ko(s['u'][2], '을')} 위한 지렛대로서의 {s['t'][2]}",
    ),
    lambda s: (
        f"Shared priorities in {s['t'][0]}",
        f"Des priorités communes pour {s['t'][1]}",
        f"{s['t'][2]} 분야의 공동 우선순위",
    ),
    lambda s: (
        f"Gaps in {s['t'][0]} put {s['u'][0]} at risk",
        f"Les lacunes {de(s['t'][1])} menacent {s['u'][1]}",
        f"{s['t'][2]}의 공백이 {ko(s['u'][2], '을')} 위협한다",
    ),
    lambda s: (
        f"{cap(s['A'][0])} and {s['B'][0]} on {s['t'][0]}",
        f"{cap(s['A'][1])} et {s['B'][1]} face {a(s['t'][1])}",
        f"{s['t'][2]}에 관한 {ko(s['A'][2], '과')} {s['B'][2]}",
    ),
    lambda s: (
        f"Opportunities in {s['t'][0]} for {s['act'][0]}",
        f"Des occasions pour {s['act'][1]} dans {s['t'][1]}",
        f"{s['act'][2]}에게 {s['t'][2]} 분야가 주는 기회",
    ),
    lambda s: (
        f"Divergent views on regulating {s['t'][0]}",
        f"Des avis divergents sur la réglementation {de(s['t'][1])}",
        f"{s['t'][2]} 규제에 대한 엇갈린 견해",
    ),
]

FINDING_SENTENCES = [
    lambda s: (
        f"{cap(s['A'][0])} and {s['B'][0]} could deepen cooperation on {s['t'][0]} by linking it to "
        f"{s['u'][0]}.",
        f"{cap(s['A'][1])} et {s['B'][1]} pourraient approfondir leur coopération sur {s['t'][1]} "
        f"en la liant {a(s['u'][1])}.",
        f"{ko(s['A'][2], '과')} {ko(s['B'][2], '은')} {ko(s['t'][2], '을')} {ko(s['u'][2], '과')} "
        f"연계하여 협력을 심화할 수 있다.",
    ),
    lambda s: (
        f"Participants noted that {s['t'][0]} remains a shared priority for {s['A'][0]} and {s['B'][0]}.",
        f"Les participants ont noté que {s['t'][1]} reste une priorité commune pour {s['A'][1]} "
        f"et {s['B'][1]}.",
        f"참석자들은 {ko(s['t'][2], '이')} {ko(s['A'][2], '과')} {s['B'][2]}의 공동 우선순위로 남아 "
        f"있다고 언급했다.",
    ),
    lambda s: (
        f"The delegation of {s['A'][0]} stressed that gaps in {s['t'][0]} put {s['u'][0]} at risk.",
        f"La délégation {de(s['A'][1])} a souligné que les lacunes {de(s['t'][1])} mettent en péril "
        f"{s['u'][1]}.",
        f"{s['A'][2]} 대표단은 {s['t'][2]}의 공백이 {ko(s['u'][2], '을')} 위협한다고 강조했다.",
    ),
    lambda s: (
        f"Joint research on {s['t'][0]} would help both countries manage {s['u'][0]}.",
        f"Des recherches conjointes sur {s['t'][1]} aideraient les deux pays à gérer {s['u'][1]}.",
        f"{s['t'][2]}에 관한 공동 연구는 양국이 {ko(s['u'][2], '을')} 관리하는 데 도움이 될 것이다.",
    ),
    lambda s: (
        f"{cap(s['act'][0])} in {s['A'][0]} and {s['B'][0]} see {s['t'][0]} as an opportunity for growth.",
        f"{cap(s['act'][1])} {de(s['A'][1])} et {de(s['B'][1])} voient dans {s['t'][1]} une occasion "
        f"de croissance.",
        f"{ko(s['A'][2], '과')} {s['B'][2]}의 {ko(s['act'][2], '은')} {ko(s['t'][2], '을')} 성장의 "
        f"기회로 보고 있다.",
    ),
    lambda s: (
        f"Views diverged on how quickly {s['A'][0]} and {s['B'][0]} should regulate {s['t'][0]}.",
        f"Les avis divergeaient sur le rythme auquel {s['A'][1]} et {s['B'][1]} devraient réglementer "
        f"{s['t'][1]}.",
        f"{ko(s['A'][2], '과')} {ko(s['B'][2], '이')} {ko(s['t'][2], '을')} 얼마나 빨리 규제해야 "
        f"하는지에 대해서는 의견이 갈렸다.",
    ),
    lambda s: (
        f"A common framework for {s['t'][0]} would lower barriers to {s['u'][0]}.",
        f"Un cadre commun pour {s['t'][1]} réduirait les obstacles {a(s['u'][1])}.",
        f"{s['t'][2]}에 대한 공동 체계는 {s['u'][2]}의 장벽을 낮출 것이다.",
    ),
    lambda s: (
        f"Officials called for regular exchanges between {s['act'][0]} on {s['t'][0]}.",
        f"Les responsables ont appelé à des échanges réguliers entre {s['act'][1]} sur {s['t'][1]}.",
        f"정부 관계자들은 {s['t'][2]}에 관한 {s['act'][2]} 간의 정기적인 교류를 촉구했다.",
    ),
    lambda s: (
        f"{cap(s['A'][0])} brings expertise in {s['t'][0]}, while {s['B'][0]} leads in {s['u'][0]}.",
        f"{cap(s['A'][1])} apporte son savoir-faire sur {s['t'][1]}, tandis que {s['B'][1]} est en "
        f"pointe sur {s['u'][1]}.",
        f"{ko(s['A'][2], '은')} {s['t'][2]} 분야의 전문성을 갖추고 있으며, {ko(s['B'][2], '은')} "
        f"{s['u'][2]} 분야를 선도하고 있다.",
    ),
    lambda s: (
        f"Pilot projects on {s['t'][0]} could be launched before the next dialogue.",
        f"Des projets pilotes sur {s['t'][1]} pourraient être lancés avant le prochain dialogue.",
        f"다음 대화 이전에 {s['t'][2]}에 관한 시범 사업을 시작할 수 있다.",
    ),
]

RECOMMENDATION_TITLES = [
    lambda s: (
        f"Establish a joint working group on {s['t'][0]}",
        f"Créer un groupe de travail conjoint sur {s['t'][1]}",
        f"{s['t'][2]}에 관한 공동 실무단 설치",
    ),
    lambda s: (
        f"Fund joint research on {s['t'][0]}",
        f"Financer des recherches conjointes sur {s['t'][1]}",
        f"{s['t'][2]} 공동 연구 지원",
    ),
    lambda s: (
        f"Align standards for {s['t'][0]}",
        f"Harmoniser les normes relatives {a(s['t'][1])}",
        f"{s['t'][2]} 관련 표준 조화",
    ),
    lambda s: (
        f"Expand exchanges on {s['t'][0]} between {s['act'][0]}",
        f"Développer les échanges sur {s['t'][1]} entre {s['act'][1]}",
        f"{s['act'][2]} 간 {s['t'][2]} 교류 확대",
    ),
    lambda s: (
        f"Launch a pilot project on {s['t'][0]}",
        f"Lancer un projet pilote sur {s['t'][1]}",
        f"{s['t'][2]} 시범 사업 추진",
    ),
]

RECOMMENDATION_SENTENCES = [
    lambda s: (
        f"The governments of {s['A'][0]} and {s['B'][0]} should set up a standing mechanism on {s['t'][0]}.",
        f"Les gouvernements {de(s['A'][1])} et {de(s['B'][1])} devraient mettre en place un mécanisme "
        f"permanent sur {s['t'][1]}.",
        f"{ko(s['A'][2], '과')} {s['B'][2]} 정부는 {s['t'][2]}에 관한 상설 협의체를 마련해야 한다.",
    ),
    lambda s: (
        f"Funding for {s['t'][0]} should be tied to measurable results in {s['u'][0]}.",
        f"Le financement consacré {a(s['t'][1])} devrait être lié à des résultats mesurables pour "
        f"{s['u'][1]}.",
        f"{s['t'][2]}에 대한 재원은 {s['u'][2]}의 측정 가능한 성과와 연계되어야 한다.",
    ),
    lambda s: (
        f"{cap(s['act'][0])} should be consulted before new rules on {s['t'][0]} are adopted.",
        f"Il faudrait consulter {s['act'][1]} avant l’adoption de nouvelles règles sur {s['t'][1]}.",
        f"{s['t'][2]}에 관한 새로운 규칙을 채택하기 전에 {s['act'][2]}의 의견을 들어야 한다.",
    ),
    lambda s: (
        f"Progress on {s['t'][0]} should be reviewed at the next edition of the dialogue.",
        f"Les progrès sur {s['t'][1]} devraient être examinés lors de la prochaine édition du dialogue.",
        f"{s['t'][2]}에 관한 진척 상황은 다음 대화에서 점검해야 한다.",
    ),
]

UPDATE_NOTES = [
    lambda s: (
        f"Raised by {s['A'][0]} at a ministerial meeting on {s['t'][0]}.",
        f"Évoquée par {s['A'][1]} lors d’une réunion ministérielle sur {s['t'][1]}.",
        f"{ko(s['A'][2], '이')} {s['t'][2]}에 관한 장관급 회의에서 제기했다.",
    ),
    lambda s: (
        f"A working group on {s['t'][0]} met for the first time.",
        f"Un groupe de travail sur {s['t'][1]} s’est réuni pour la première fois.",
        f"{s['t'][2]}에 관한 실무단이 처음으로 회의를 열었다.",
    ),
    lambda s: (
        f"Funding for {s['t'][0]} was announced in the budget of {s['B'][0]}.",
        f"Un financement consacré {a(s['t'][1])} a été annoncé dans le budget {de(s['B'][1])}.",
        f"{s['B'][2]} 예산에 {s['t'][2]} 관련 재원이 반영되었다.",
    ),
]


class Slots:
    """Draws template slot values from a seeded random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def draw(self, *, pair: tuple, focus: list[int]) -> dict:
        """Slot values for one text: the series' two countries (either order) and two topics.

        Topics come mostly from the record's focus (its dialogue's themes), sometimes from anywhere,
        so that a topic is common in a few dialogues and rare elsewhere, as in real reports.
        """
        rng = self.rng
        first, second = pair if rng.random() < 0.5 else (pair[1], pair[0])
        t = TOPICS[rng.choice(focus)] if focus and rng.random() < 0.8 else rng.choice(TOPICS)
        u = t
        while u is t:
            u = TOPICS[rng.choice(focus)] if focus and rng.random() < 0.6 else rng.choice(TOPICS)
        return {
            "A": first[1:],
            "B": second[1:],
            "t": t,
            "u": u,
            "act": rng.choice(ACTORS),
        }

    def text(self, templates, *, pair, focus, sentences: int = 1) -> tuple[str, str, str]:
        """`sentences` sentences from `templates`, each language joined alike."""
        parts = [self.rng.choice(templates)(self.draw(pair=pair, focus=focus)) for _ in range(sentences)]
        return tuple(" ".join(part[i] for part in parts) for i in range(3))
