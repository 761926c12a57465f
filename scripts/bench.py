"""`make bench`: throughput, latency, SQL queries, search latency and memory, on PostgreSQL.

1. Builds (or reuses) a PostgreSQL database per corpus size, atlas_bench_<N>, with the synthetic
   corpus (`generate_corpus`) and the demo content.
2. Starts the production server as `make serve` does (gunicorn with config/gunicorn.py, DEBUG
   off, whitenoise, manifest static files) on a free loopback port, rate limits off.
3. Drives it with wrk: for each key endpoint, BENCH_DURATION seconds at BENCH_CONNECTIONS
   connections with the public page cache on (one hot URL per endpoint), then
   BENCH_UNCACHED_DURATION seconds with the cache off (rotating over twenty URLs per endpoint).
   The minimal view (/healthz, no database) is measured in each phase on the same server.
4. Counts SQL queries per request with Django's test client, times full-text search (count and
   first page, BENCH_SEARCH_RUNS queries per language) at each size of BENCH_SEARCH_SIZES, and
   reads each worker's resident memory from /proc.
5. Prints one Markdown report and writes it to bench-results/latest.md (and .json).

Environment: BENCH_FINDINGS (100000), BENCH_DURATION (60), BENCH_UNCACHED_DURATION (20),
BENCH_CONNECTIONS (64), BENCH_SEARCH_SIZES (20000,<BENCH_FINDINGS>), BENCH_SEARCH_RUNS (50),
BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432; the database name is added),
BENCH_REGENERATE=1 to rebuild the corpus, BENCH_ABLATIONS=0 to skip the with/without table
(scripts/benchlib/ablations.py), REDIS_URL to use Redis as the cache, GUNICORN_* .
"""

import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchlib import ablations

BASE_DIR = Path(__file__).resolve().parent.parent
PY = str(BASE_DIR / ".venv" / "bin" / "python")
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
TASKS = str(BASE_DIR / "scripts" / "benchlib" / "tasks.py")
LUA = str(BASE_DIR / "scripts" / "benchlib" / "report.lua")
RESULTS = BASE_DIR / "bench-results"
SEED = 2025

FINDINGS = int(os.environ.get("BENCH_FINDINGS", "100000"))
DURATION = int(os.environ.get("BENCH_DURATION", "60"))
UNCACHED_DURATION = int(os.environ.get("BENCH_UNCACHED_DURATION", "20"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
SEARCH_SIZES = [int(size) for size in os.environ.get("BENCH_SEARCH_SIZES", f"20000,{FINDINGS}").split(",")]
SEARCH_RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", "50"))
MIX_DURATION = int(os.environ.get("BENCH_MIX_DURATION", "20"))
SINGLE_DURATION = int(os.environ.get("BENCH_SINGLE_DURATION", "10"))
MIX_URLS = int(os.environ.get("BENCH_MIX_URLS", "20000"))
DATABASE_BASE = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
WRK = shutil.which("wrk") or "/usr/bin/wrk"

BUDGETS = {
    "cached_ratio": 0.5,
    "uncached_api_ratio": 0.2,
    "search_p95_ms": 50.0,
    # The uncached mixes (search and API pages): 5% of the minimal view up to 20,000 findings,
    # 2% beyond; one reader's search page p95 in each language.
    "mix_ratio": {20000: 0.05, 100000: 0.02},
    "single_search_p95_ms": 100.0,
}


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def database_url(findings: int) -> str:
    return f"{DATABASE_BASE}/atlas_bench_{findings}"


def ensure_database(findings: int) -> None:
    import psycopg

    name = f"atlas_bench_{findings}"
    with psycopg.connect(f"{DATABASE_BASE}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            say(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def django_env(findings: int) -> dict:
    """The environment of `make serve`, on the benchmark database, with the bench settings."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(findings),
        DJANGO_SETTINGS_MODULE="benchlib.settings",
        PYTHONPATH=os.pathsep.join([str(BASE_DIR), str(BASE_DIR / "scripts")]),
        DJANGO_ENV="production",
        SECRET_KEY=env.get("SECRET_KEY") or secret_key(),
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL=env.get("LOG_LEVEL", "WARNING"),
    )
    return env


def secret_key() -> str:
    path = BASE_DIR / "var" / "secret_key"
    if not path.exists():
        import secrets

        path.parent.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(64) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def task(findings: int, *args: str) -> dict:
    result = subprocess.run(
        [PY, TASKS, *args], env=django_env(findings), cwd=BASE_DIR, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"bench task {args[0]} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn as `make serve` runs it, in its own process group, always stopped."""

    def __init__(self, findings: int, *, cached: bool, extra_env: dict | None = None):
        self.port = int(os.environ.get("BENCH_PORT") or free_port())
        self.env = django_env(findings)
        self.env.update(
            HOST="127.0.0.1",
            PORT=str(self.port),
            PUBLIC_CACHE_ENABLED="1" if cached else "0",
            GUNICORN_MAX_REQUESTS=os.environ.get("GUNICORN_MAX_REQUESTS", "0"),  # no recycling mid-run
        )
        self.env.update(extra_env or {})
        self.process = None
        self.log = None

    def __enter__(self):
        self.log = open(RESULTS / "gunicorn.log", "a")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            [GUNICORN, "--config", "python:config.gunicorn"],
            env=self.env,
            cwd=BASE_DIR,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited; see bench-results/gunicorn.log")
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        raise SystemExit("gunicorn did not answer /healthz within 90 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def cpu_ticks(self) -> int:
        """CPU time (clock ticks) used so far by the master and its workers."""
        total = 0
        for pid in [self.process.pid, *self.workers()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    def wait_idle(self, max_wait: float = 300.0) -> float:
        """Wait until the workers have finished what the last run left queued.

        wrk stops sending, but gunicorn still answers every request it accepted: without this,
        a slow endpoint's backlog would be billed to the next one. Idle: under 5% of a core for
        two seconds in a row. Returns the seconds waited.
        """
        ticks_per_second = os.sysconf("SC_CLK_TCK")
        return wait_until_quiet(
            self.cpu_ticks, lambda before, now: now - before < 0.05 * ticks_per_second, 2, max_wait
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self) -> list[int]:
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    children.append(int(entry.name))
        return children

    def memory(self) -> dict:
        rss = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss.append(int(line.split()[1]) / 1024)
        master = 0.0
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                master = int(line.split()[1]) / 1024
        return {
            "workers": len(rss),
            "min_mb": round(min(rss), 1),
            "mean_mb": round(sum(rss) / len(rss), 1),
            "max_mb": round(max(rss), 1),
            "master_mb": round(master, 1),
            "total_mb": round(sum(rss) + master, 1),
        }


def wrk(
    server: Server,
    paths: list[str],
    duration: int,
    *,
    spread: bool = False,
    connections: int = CONNECTIONS,
    language: str = "en",
) -> dict:
    """One wrk run over `paths` (rotating; `spread`: each thread from its own share of the list,
    so that no path is asked twice until the list is used up); req/s, latency, errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    threads = min(connections, os.cpu_count() or 2)
    command = [
        WRK,
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "30s",
        "--header",
        f"Accept-Language: {language}",
        "--script",
        LUA,
        server.url(paths[0]),
        "--",
        listing.name,
        *(["spread", str(threads)] if spread else []),
    ]
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(listing.name)
    summary = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    seconds = summary["duration_us"] / 1e6
    errors = sum(summary[key] for key in ("connect", "read", "write", "status", "timeout"))
    return {
        "rps": round(summary["requests"] / seconds, 1),
        "p50_ms": round(summary["p50_us"] / 1000, 1),
        "p95_ms": round(summary["p95_us"] / 1000, 1),
        "p99_ms": round(summary["p99_us"] / 1000, 1),
        "errors": errors,
        "requests": summary["requests"],
        "error_detail": {key: summary[key] for key in ("connect", "read", "write", "status", "timeout")},
    }


def endpoints(sample: dict) -> list[dict]:
    """The key endpoints: a hot URL for the cached phase, twenty for the uncached one."""
    dialogues, ids, topics = sample["dialogues"], sample["finding_ids"], sample["topics"]
    pages = range(1, 21)
    return [
        {"name": "minimal view (/healthz)", "kind": "minimal", "paths": ["/healthz"]},
        {"name": "home", "kind": "page", "paths": ["/en/"]},
        {
            "name": "dialogue detail",
            "kind": "page",
            "paths": [f"/en/dialogues/{slug}/" for slug in dialogues],
        },
        {"name": "findings list", "kind": "page", "paths": [f"/en/findings/?page={page}" for page in pages]},
        {"name": "finding detail", "kind": "page", "paths": [f"/en/findings/{pk}/" for pk in ids]},
        {
            "name": "search",
            "kind": "page",
            "paths": [f"/en/search/?q={urllib.parse.quote(topic)}" for topic in topics * 2][:20],
        },
        {
            "name": "API findings list",
            "kind": "api",
            "list": True,
            "paths": [f"/api/v1/findings/?page={page}" for page in pages],
        },
        {"name": "API finding detail", "kind": "api", "paths": [f"/api/v1/findings/{pk}/" for pk in ids]},
        {
            "name": "API changes feed",
            "kind": "api",
            "list": True,
            "paths": [f"/api/v1/changes/?page={page}" for page in pages],
        },
        {
            "name": "CSV export (one dialogue)",
            "kind": "api",
            "paths": [f"/api/v1/findings/?format=csv&dialogue={slug}" for slug in dialogues],
        },
    ]


def read_every_record(server: Server) -> float:
    """Read the whole findings list through the API once, 100 records a page, four at a time: what
    partners syncing their copies have done on a live site, whose records an analyst's save
    keeps (each under its own version). Returns the seconds it took."""
    from concurrent.futures import ThreadPoolExecutor

    started = time.monotonic()

    def read(page: int) -> dict:
        with urllib.request.urlopen(
            server.url(f"/api/v1/findings/?page={page}&page_size=100"), timeout=120
        ) as r:
            return json.load(r)

    pages = -(-read(1)["count"] // 100)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(read, range(2, pages + 1)))
    return round(time.monotonic() - started, 1)


def run_mixes(findings: int, server: Server, urls: dict, *, only=None, alone: bool = True) -> dict:
    """The uncached mixes on the cached phase's server: each request a different URL, so the page
    cache (on, as in production) never answers; each mix starts right after a change of the public
    data version, as after any analyst's save, which keeps what was built per record (the API mix
    first reads every record once, as partners' syncs have on a live site). Then one reader alone
    searching in each language."""
    results = {}
    for key, name in ablations.MIXES.items():
        if only is not None and name not in only:
            continue
        paths = urls[key]
        warm, measured = paths[: len(paths) // 10], paths[len(paths) // 10 :]
        if key == "api":
            say(f"  every record read once through the API, before the save: {read_every_record(server)} s")
        wrk(server, warm, 3, spread=True)  # every worker imports, connects, compiles
        task(findings, "invalidate")
        waited = server.wait_idle()
        say(f"  mix {name}: {MIX_DURATION} s over {len(measured):,} URLs (after {waited} s)")
        result = wrk(server, measured, MIX_DURATION, spread=True)
        result["distinct_urls"] = len(measured)
        result["drain_seconds"] = server.wait_idle()
        results[name] = result
        say(f"    {result}")
    single = {}
    for language in ("en", "fr", "ko") if alone else ():
        paths = [path for path in urls["search"] if path.startswith(f"/{language}/")]
        task(findings, "invalidate")
        server.wait_idle()
        wait_quiet_machine()
        single[language] = wrk(server, paths, SINGLE_DURATION, spread=True, connections=1, language=language)
        single[language]["distinct_urls"] = len(paths)
        say(f"  one reader searching in {language}: {single[language]}")
    return {"mixes": results, "single_search": single}


def run_phase(
    findings: int,
    targets: list[dict],
    *,
    cached: bool,
    extra_env: dict | None = None,
    hot: bool | None = None,
    mix_urls: dict | None = None,
) -> tuple[dict, dict | None]:
    """Each target in turn on one server; `hot` (default: `cached`) drives one URL per target."""
    duration = DURATION if cached else UNCACHED_DURATION
    label = "cached" if cached else f"uncached{' ' + str(extra_env) if extra_env else ''}"
    hot = cached if hot is None else hot
    results = {}
    with Server(findings, cached=cached, extra_env=extra_env) as server:
        say(f"{label} phase: gunicorn on port {server.port}, {len(server.workers())} workers")
        for target in targets:
            paths = target["paths"][:1] if hot else target["paths"]
            # Warm-up: every worker imports, connects and (cached) fills its cache.
            wrk(server, paths, 3)
            waited = server.wait_idle()
            say(f"  {label} {target['name']}: {duration} s (after {waited} s for the warm-up backlog)")
            results[target["name"]] = wrk(server, paths, duration)
            results[target["name"]]["drain_seconds"] = server.wait_idle()
            say(f"    {results[target['name']]}")
        if mix_urls:
            results["mixes"] = run_mixes(findings, server, mix_urls)
        memory = server.memory() if cached else None
    return results, memory


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _cpu_times() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def wait_until_quiet(sample, quiet, seconds: int, max_wait: float) -> float:
    """Take `sample()` once a second until `quiet(previous, current)` holds `seconds` times in a
    row, or `max_wait` seconds have passed. Returns the seconds waited."""
    started = time.monotonic()
    in_a_row = 0
    previous = sample()
    while in_a_row < seconds and time.monotonic() - started < max_wait:
        time.sleep(1)
        current = sample()
        in_a_row = in_a_row + 1 if quiet(previous, current) else 0
        previous = current
    return round(time.monotonic() - started, 1)


def wait_quiet_machine(busy_below: float = 0.1, seconds: int = 3, max_wait: float = 120.0) -> float:
    """Wait until the whole machine (PostgreSQL included) is under `busy_below` busy for `seconds`
    seconds in a row, so that latencies are not timed in the tail of the load phases."""

    def quiet(before, now):
        busy, total = now[0] - before[0], now[1] - before[1]
        return bool(total) and busy / total < busy_below

    return wait_until_quiet(_cpu_times, quiet, seconds, max_wait)


def render(report: dict) -> str:
    lines = []
    meta = report["meta"]
    lines.append(f"### Benchmark, {meta['date']} (commit {meta['commit']})")
    lines.append("")
    lines.append(
        f"{meta['findings']:,} findings ({meta['public_findings']:,} public) on PostgreSQL "
        f"{meta['postgresql']}; gunicorn {meta['workers']} workers x {meta['threads']} threads on "
        f"{meta['cpus']} CPUs ({meta['cpu']}); cache: {meta['cache']}; wrk {CONNECTIONS} connections, "
        f"{DURATION} s cached / {UNCACHED_DURATION} s uncached per endpoint; load average before "
        f"{meta['load_before']}, after {meta['load_after']}."
    )
    lines.append("")
    lines.append(
        "| Endpoint | cached req/s | p50 ms | p95 ms | errors | × minimal | uncached req/s | p50 ms "
        "| p95 ms | errors | × minimal | SQL/req |"
    )
    lines.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    cached, uncached = report["cached"], report["uncached"]
    base_c = cached["minimal view (/healthz)"]["rps"]
    base_u = uncached["minimal view (/healthz)"]["rps"]
    for target in report["endpoints"]:
        name = target["name"]
        c, u = cached[name], uncached[name]
        queries = report["queries"].get(target["paths"][0], {}).get("queries", "–")
        lines.append(
            f"| {name} | {c['rps']:,.0f} | {c['p50_ms']} | {c['p95_ms']} | {c['errors']} | "
            f"{c['rps'] / base_c:.2f} | {u['rps']:,.0f} | {u['p50_ms']} | {u['p95_ms']} | {u['errors']} | "
            f"{u['rps'] / base_u:.2f} | {queries} |"
        )
    lines.append("")
    lines.append(
        "Cached: one hot URL per endpoint, the public page cache on (a hit runs no SQL). Uncached: the "
        "page cache off, twenty URLs per endpoint in rotation; every request runs its view and its "
        "SQL, while list counts, facet counts and the ids of an unfiltered API list stay memoized per "
        "public data state (built again after any change), and the API's records and the findings' "
        "cards per record version. SQL/req: one uncached request "
        "after a first one, counted with Django's test client. CSV exports stream and are never cached."
    )
    lines.append("")
    lines.extend(render_mixes(report))
    lines.append(
        "| Search (count + first page of 20) | language | p50 ms | p95 ms | median matches | broad query |"
    )
    lines.append("|---|---|--:|--:|--:|---|")
    for size, languages in report["search"].items():
        for language, result in languages.items():
            lines.append(
                f"| {int(size):,} findings | {language} | {result['p50_ms']} | {result['p95_ms']} | "
                f"{result['matches_median']:,} | “{result['broad_query']}”: {result['broad_matches']:,} "
                f"matches, {result['broad_ms']} ms |"
            )
    lines.append("")
    lines.append(
        "Each size is timed once the machine is quiet (under 10% busy for 3 s in a row; waited "
        + " s and ".join(f"{wait}" for wait in report["search_waited"].values())
        + " s)."
    )
    lines.append("")
    memory = report["memory"]
    lines.append(
        f"Memory after the cached phase: {memory['workers']} workers, resident {memory['min_mb']}–"
        f"{memory['max_mb']} MB each (mean {memory['mean_mb']} MB), master {memory['master_mb']} MB, "
        f"total {memory['total_mb']} MB."
    )
    lines.append("")
    if report.get("ablations"):
        lines.append(
            "With and without each performance mechanism (one server per mechanism, only that one "
            f"off; {UNCACHED_DURATION} s per endpoint; the page cache on one hot URL, the others on "
            "twenty URLs with the page cache off):"
        )
        lines.append("")
        lines.extend(ablations.render(report["ablations"]))
        lines.append("")
    lines.append("Budgets:")
    for verdict in report["verdicts"]:
        lines.append(f"- {'PASS' if verdict['ok'] else 'MISS'}: {verdict['text']}")
    return "\n".join(lines) + "\n"


def render_mixes(report: dict) -> list[str]:
    mixes = report["mixes"]
    base = report["cached"]["minimal view (/healthz)"]["rps"]
    lines = [
        "| Uncached mix (each request a different URL) | distinct URLs | requests | req/s | p50 ms "
        "| p95 ms | p99 ms | errors | × minimal |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, result in mixes["mixes"].items():
        lines.append(
            f"| {name} | {result['distinct_urls']:,} | {result['requests']:,} | {result['rps']:,.1f} | "
            f"{result['p50_ms']} | {result['p95_ms']} | {result['p99_ms']} | {result['errors']} | "
            f"{result['rps'] / base:.3f} |"
        )
    lines.append("")
    lines.append(
        f"The mixes run on the cached phase's server, page cache on as in production, {MIX_DURATION} s "
        f"each at {CONNECTIONS} connections, each right after a change of the public data version (what "
        "any analyst's published save does), against the minimal view of the same run. A mix that asks "
        "for more requests than it has URLs starts over (dialogue pages: three per public dialogue)."
    )
    lines.append("")
    lines.append("| One reader searching (1 connection) | requests | p50 ms | p95 ms | p99 ms |")
    lines.append("|---|--:|--:|--:|--:|")
    for language, result in mixes["single_search"].items():
        lines.append(
            f"| {language} | {result['requests']:,} | {result['p50_ms']} | {result['p95_ms']} | "
            f"{result['p99_ms']} |"
        )
    lines.append("")
    return lines


def mix_budget(findings: int) -> float:
    """The budget of the nearest corpus size the issue names (20,000 or 100,000 findings; the
    corpus adds the demo's few findings)."""
    budgets = BUDGETS["mix_ratio"]
    return budgets[min(budgets, key=lambda size: abs(size - findings))]


def verdicts(report: dict) -> list[dict]:
    cached, uncached = report["cached"], report["uncached"]
    base_c = cached["minimal view (/healthz)"]["rps"]
    base_u = uncached["minimal view (/healthz)"]["rps"]
    out = []
    errors = sum(result["errors"] for result in cached.values())
    out.append(
        {"ok": errors == 0, "text": f"zero errors at {CONNECTIONS} connections (cached phase): {errors}"}
    )
    for target in report["endpoints"]:
        name = target["name"]
        if target["kind"] == "page":
            ratio = cached[name]["rps"] / base_c
            out.append(
                {
                    "ok": ratio >= BUDGETS["cached_ratio"],
                    "text": f"{name}, cached, ≥ 50% of the minimal view: {ratio:.0%}",
                }
            )
        if target.get("list"):  # the API's lists, uncached
            ratio = uncached[name]["rps"] / base_u
            out.append(
                {
                    "ok": ratio >= BUDGETS["uncached_api_ratio"],
                    "text": f"{name}, uncached, ≥ 20% of the minimal view: {ratio:.0%}",
                }
            )
    out.extend(mix_verdicts(report))
    for size, languages in report["search"].items():
        for language, result in languages.items():
            out.append(
                {
                    "ok": result["p95_ms"] <= BUDGETS["search_p95_ms"],
                    "text": f"search p95 ≤ 50 ms, {int(size):,} findings, {language}: {result['p95_ms']} ms",
                }
            )
    return out


def mix_verdicts(report: dict) -> list[dict]:
    base_c = report["cached"]["minimal view (/healthz)"]["rps"]
    out = []
    budget = mix_budget(report["meta"]["findings"])
    for name, result in report["mixes"]["mixes"].items():
        ratio = result["rps"] / base_c
        wanted = not name.startswith("dialogue")  # the budget names the search and API mixes
        out.append(
            {
                "ok": (ratio >= budget or not wanted) and result["errors"] == 0,
                "text": (
                    f"{name}, ≥ {budget:.0%} of the minimal view, zero errors: "
                    if wanted
                    else f"{name} (no budget; zero errors): "
                )
                + f"{ratio:.1%}, {result['errors']} errors",
            }
        )
    for language, result in report["mixes"]["single_search"].items():
        out.append(
            {
                "ok": result["p95_ms"] <= BUDGETS["single_search_p95_ms"],
                "text": f"one reader's search page p95 ≤ 100 ms, {language}: {result['p95_ms']} ms",
            }
        )
    return out


def main() -> None:
    if not Path(WRK).exists():
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
    RESULTS.mkdir(exist_ok=True)
    load_before = load_average()
    samples = {}
    for size in sorted({*SEARCH_SIZES, FINDINGS}):
        ensure_database(size)
        say(f"preparing atlas_bench_{size} (generates the corpus if needed)")
        samples[size] = task(size, "prepare", str(size), str(SEED))
        say(f"  {samples[size]['findings']:,} findings, prepared in {samples[size]['prepare_seconds']} s")
    sample = samples[FINDINGS]
    targets = endpoints(sample)

    urls_file = RESULTS / "urls.json"
    urls_file.write_text(json.dumps([target["paths"][0] for target in targets]))
    queries = task(FINDINGS, "queries", str(urls_file))
    for url, result in queries.items():
        if result["status"] != 200:
            raise SystemExit(f"{url} answers {result['status']}, not 200")

    mix_file = RESULTS / "mixes.json"
    say(f"drawing {MIX_URLS:,} URLs per uncached mix")
    task(FINDINGS, "mixes", str(MIX_URLS), str(SEED), str(mix_file))
    mix_urls = json.loads(mix_file.read_text())
    if os.environ.get("BENCH_MIXES_ONLY") == "1":  # a quick look while working on the uncached path
        cached, _memory = run_phase(FINDINGS, targets[:1], cached=True, mix_urls=mix_urls)
        report = {"cached": cached, "mixes": cached.pop("mixes"), "meta": {"findings": sample["findings"]}}
        text = (
            "\n".join(render_mixes(report))
            + "\n"
            + "\n".join(
                f"- {'PASS' if verdict['ok'] else 'MISS'}: {verdict['text']}"
                for verdict in mix_verdicts(report)
            )
        )
        (RESULTS / "mixes-latest.md").write_text(text + "\n")
        print(text)
        return
    cached, memory = run_phase(FINDINGS, targets, cached=True, mix_urls=mix_urls)
    mixes = cached.pop("mixes")
    uncached, _ = run_phase(FINDINGS, targets, cached=False)

    ablation_rows = []
    if os.environ.get("BENCH_ABLATIONS", "1") == "1":

        def measure(env, wanted, hot):
            results, _memory = run_phase(FINDINGS, wanted, cached=False, extra_env=env, hot=hot)
            return results

        def measure_mixes(env, names):
            with Server(FINDINGS, cached=True, extra_env=env) as server:
                say(f"mixes with {env}")
                return run_mixes(FINDINGS, server, mix_urls, only=names, alone=False)["mixes"]

        ablation_rows = ablations.run(
            targets,
            {"cached": cached, "uncached": uncached, "mixes": mixes["mixes"]},
            measure,
            database_url(FINDINGS),
            measure_mixes,
        )

    search, search_waited = {}, {}
    for size in SEARCH_SIZES:
        say(f"search latency at {size:,} findings")
        search_waited[str(size)] = wait_quiet_machine()
        search[str(size)] = task(size, "search", str(SEARCH_RUNS))

    env = django_env(FINDINGS)
    probe = subprocess.run(
        [PY, "-c", "import config.gunicorn as g; print(g.workers, g.threads)"],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    workers, threads = probe.stdout.split()
    report = {
        "meta": {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
            ).stdout.strip(),
            "findings": sample["findings"],
            "public_findings": sample["public_findings"],
            "postgresql": postgres_version(),
            "workers": workers,
            "threads": threads,
            "cpus": os.cpu_count(),
            "cpu": platform.processor() or platform.machine(),
            "cache": "Redis" if os.environ.get("REDIS_URL") else "local memory (per worker)",
            "load_before": load_before,
            "load_after": load_average(),
        },
        "endpoints": targets,
        "queries": queries,
        "cached": cached,
        "uncached": uncached,
        "search": search,
        "search_waited": search_waited,
        "memory": memory,
        "ablations": ablation_rows,
        "mixes": mixes,
    }
    report["verdicts"] = verdicts(report)
    text = render(report)
    (RESULTS / "latest.md").write_text(text)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(text)


def postgres_version() -> str:
    import psycopg

    with psycopg.connect(f"{DATABASE_BASE}/postgres") as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]


if __name__ == "__main__":
    main()
