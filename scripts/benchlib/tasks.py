"""Django-side tasks of scripts/bench.py, one process per database (settings: benchlib.settings).

python scripts/benchlib/tasks.py prepare FINDINGS SEED   # migrate, corpus, sample URLs (JSON)
python scripts/benchlib/tasks.py queries URLS.json       # SQL queries per request (JSON)
python scripts/benchlib/tasks.py search RUNS             # search latency per language (JSON)
python scripts/benchlib/tasks.py mixes COUNT SEED OUT.json  # the uncached mixes' URLs (JSON file)
python scripts/benchlib/tasks.py invalidate              # what any analyst's save does to the pages
"""

import io
import json
import os
import random
import re
import statistics
import sys
import time
import urllib.parse
from contextlib import redirect_stdout
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# Topics searched by the latency test, by their English name in demo/corpus/text.py.
SEARCH_TOPICS = [
    "critical minerals",
    "hydrogen",
    "quantum computing",
    "offshore wind",
    "privacy law",
    "semiconductors",
    "biodiversity",
    "export controls",
    "mental health",
    "shipbuilding",
]
# A country present in a third of the corpus: reported apart, as the worst case.
BROAD = {"en": "Canada", "fr": "Canada", "ko": "캐나다"}


def setup():
    sys.path[:0] = [str(BASE_DIR), str(BASE_DIR / "scripts")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchlib.settings")
    import django

    django.setup()


def prepare(findings: int, seed: int) -> dict:
    """Migrate, make sure the corpus has `findings` findings, and pick the URLs to load."""
    from django.core.management import call_command
    from django.db import connection

    from dialogue.selectors import dialogue_list_public
    from findings.models import Finding
    from findings.selectors import finding_list_public

    started = time.monotonic()
    log = io.StringIO()
    with redirect_stdout(log):
        call_command("migrate", interactive=False, verbosity=0)
        # The pages render with hashed static names: the query count needs the manifest too.
        call_command("collectstatic", interactive=False, verbosity=0)
        present = Finding.objects.filter(dialogue__slug__startswith="syn-").count()
        generated = present != findings or os.environ.get("BENCH_REGENERATE") == "1"
        if generated:
            call_command("generate_corpus", findings=findings, seed=seed, reset=True)
        call_command("load_demo_content")
    if connection.vendor == "postgresql":
        # The state autovacuum keeps a live database in (statistics, visibility map for
        # index-only scans), reached now rather than some minutes into the run.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        # The deploy step of the README: the search index, shared with the workers by the cache.
        with redirect_stdout(log):
            call_command("build_search_index")
    dialogues = list(
        dialogue_list_public().filter(slug__startswith="syn-").order_by("pk").values_list("slug", flat=True)
    )
    step = max(1, len(dialogues) // 20)
    dialogues = dialogues[::step][:20]
    public = finding_list_public().order_by("pk")
    total = public.count()
    finding_ids = [public.values_list("pk", flat=True)[i * total // 20] for i in range(20)]
    from demo.corpus.text import TOPICS

    topics = [topic for topic in TOPICS if topic[0] in SEARCH_TOPICS]
    return {
        "generated": generated,
        "prepare_seconds": round(time.monotonic() - started, 1),
        "public_findings": total,
        "findings": Finding.objects.count(),
        "dialogues": dialogues,
        "finding_ids": finding_ids,
        "topics": [topic[0] for topic in topics],
    }


def count_queries(urls: list[str]) -> dict:
    """SQL queries and status of one uncached GET of each URL (Django's test client)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    counts = {}
    with override_settings(PUBLIC_CACHE_ENABLED=False):
        for url in urls:
            client.get(url)  # warm: first-request work (translations, content types) is not per request
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            counts[url] = {"queries": len(captured), "status": response.status_code}
    return counts


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def search_latency(runs: int) -> dict:
    """Time what a search results page asks of the database: the count and the first twenty rows.

    `runs` queries per language, cycling through the topics; each query is run once untimed first.
    """
    from core.search import ranked_slice, search_filter
    from demo.corpus.grammar import bare
    from demo.corpus.text import TOPICS
    from findings.models import FINDING_SEARCH_FIELDS
    from findings.selectors import finding_list_public

    topics = [topic for topic in TOPICS if topic[0] in SEARCH_TOPICS]
    queries = {
        "en": [topic[0] for topic in topics],
        "fr": [bare(topic[1]) for topic in topics],
        "ko": [topic[2] for topic in topics],
    }

    def page(text, language):
        queryset = search_filter(
            finding_list_public(), text=text, fields=FINDING_SEARCH_FIELDS, language=language
        )
        started = time.perf_counter()
        matches, _rows = ranked_slice(queryset, 0, 20)  # what the list, the API and the search page run
        return (time.perf_counter() - started) * 1000, matches

    results = {}
    for language, texts in queries.items():
        for text in texts:
            page(text, language)
        timings, matches = [], []
        for i in range(runs):
            elapsed, found = page(texts[i % len(texts)], language)
            timings.append(elapsed)
            matches.append(found)
        broad = [page(BROAD[language], language) for _ in range(3)]
        results[language] = {
            "queries": texts,
            "runs": runs,
            "p50_ms": round(_percentile(timings, 50), 1),
            "p95_ms": round(_percentile(timings, 95), 1),
            "matches_median": int(statistics.median(matches)),
            "broad_query": BROAD[language],
            "broad_matches": broad[0][1],
            "broad_ms": round(statistics.median(t for t, _ in broad), 1),
        }
    return results


KOREAN_WORD = re.compile(r"[\uac00-\ud7a3]{2,}")
LATIN_WORD = re.compile(r"[^\W\d_]{4,}")


def _words(text: str, language: str) -> list[str]:
    return KOREAN_WORD.findall(text) if language == "ko" else [w.lower() for w in LATIN_WORD.findall(text)]


def mixes(count: int, seed: int) -> dict:
    """URLs for the uncached mixes, `count` of each, every one different from the others.

    - search: `/<lang>/findings/?q=w1+w2`, two words of one random public finding's title and
      summary in a random language (so most queries match something, as a reader's would);
    - API pages: `/api/v1/findings/?page=P&page_size=S`, S from 10 to 100, P any existing page;
    - dialogue pages: `/<lang>/dialogues/<slug>/`, every public dialogue in every language, in a
      random order (as many different ones as there are, up to `count`).
    """
    from dialogue.selectors import dialogue_list_public
    from findings.selectors import finding_list_public

    rng = random.Random(seed)
    languages = ("en", "fr", "ko")
    public = list(finding_list_public().order_by("pk").values_list("pk", flat=True))
    fields = [f"{name}_{lang}" for name in ("title", "summary") for lang in languages]
    texts = {}
    chosen = rng.sample(public, min(len(public), count))
    for row in finding_list_public().filter(pk__in=chosen).values("pk", *fields):
        texts[row["pk"]] = row
    search, seen = [], set()
    attempts = 0
    while len(search) < count and attempts < count * 20:
        attempts += 1
        row = texts[rng.choice(chosen)]
        language = rng.choice(languages)
        words = sorted(set(_words(f"{row[f'title_{language}']} {row[f'summary_{language}']}", language)))
        if len(words) < 2:
            continue
        query = " ".join(rng.sample(words, 2))
        url = f"/{language}/findings/?q={urllib.parse.quote_plus(query)}"
        if url not in seen:
            seen.add(url)
            search.append(url)
    total = len(public)
    pages = set()
    while len(pages) < count:
        size = rng.randint(10, 100)
        pages.add((rng.randint(1, -(-total // size)), size))
    api = [f"/api/v1/findings/?page={page}&page_size={size}" for page, size in pages]
    rng.shuffle(api)
    dialogue_pages = []
    for slug in dialogue_list_public().order_by("pk").values_list("slug", flat=True):
        for language in languages:
            dialogue_pages.append(f"/{language}/dialogues/{slug}/")
    rng.shuffle(dialogue_pages)
    return {"search": search, "api": api, "dialogue": dialogue_pages[:count]}


def invalidate() -> dict:
    """Change the public data version, as any analyst's published save does."""
    from core.cache import public_data_changed
    from core.changes.log import _latest_sequence_on

    sequence = _latest_sequence_on("default")
    public_data_changed(sequence)
    return {"sequence": sequence}


def main(argv: list[str]) -> None:
    setup()
    task = argv[1]
    if task == "prepare":
        result = prepare(int(argv[2]), int(argv[3]))
    elif task == "queries":
        result = count_queries(json.loads(Path(argv[2]).read_text()))
    elif task == "mixes":
        urls = mixes(int(argv[2]), int(argv[3]))
        Path(argv[4]).write_text(json.dumps(urls))
        result = {name: len(paths) for name, paths in urls.items()}
    elif task == "invalidate":
        result = invalidate()
    elif task == "search":
        result = search_latency(int(argv[2]))
    else:
        raise SystemExit(f"unknown task {task}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
