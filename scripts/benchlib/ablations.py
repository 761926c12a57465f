"""The with/without table: each performance mechanism switched off alone, on the endpoints it serves.

"With" is the same endpoint measured with everything on (the uncached phase, or the cached phase
for the page cache itself); "without" is a server started with only that mechanism off
(`PERFORMANCE_OFF`, config/settings.py), or with the covering indexes dropped (and rebuilt
afterwards). A mechanism that buys less than 10% on every endpoint it serves is a candidate for
removal; the README's Performance section says what was kept and why.
"""

# The uncached mixes of scripts/bench.py (each request a different URL): key -> name.
SEARCH_MIX = "search mix: /<lang>/findings/?q=w1+w2"
API_MIX = "API page mix: /api/v1/findings/?page=P&page_size=10–100"
DIALOGUE_MIX = "dialogue page mix: /<lang>/dialogues/<slug>/"
MIXES = {"search": SEARCH_MIX, "api": API_MIX, "dialogue": DIALOGUE_MIX}

# (mechanism, server environment, endpoints, phase that gives the "with" figure); the "mixes"
# phase measures the uncached mixes right after a change of the public data version.
MECHANISMS = [
    (
        "page cache",
        {"PUBLIC_CACHE_ENABLED": "0"},
        ["home", "dialogue detail", "findings list", "finding detail", "search", "API findings list"],
        "cached",
    ),
    (
        "memoised counts and facets",
        {"PERFORMANCE_OFF": "memo_counts"},
        ["findings list", "API findings list", "API changes feed"],
        "uncached",
    ),
    (
        "memoised API records, spliced as encoded JSON",
        {"PERFORMANCE_OFF": "memo_records"},
        ["API findings list"],
        "uncached",
    ),
    (
        "compiled statements",
        {"PERFORMANCE_OFF": "compiled_statements"},
        ["API findings list"],
        "uncached",
    ),
    (
        "database backend with a socket health check",
        {"PERFORMANCE_OFF": "socket_health_check"},
        ["API finding detail", "finding detail"],
        "uncached",
    ),
    ("covering indexes", {}, ["findings list", "API findings list", "dialogue detail"], "uncached"),
    (
        "API records kept under their own version (not the site's)",
        {"PERFORMANCE_OFF": "record_versions"},
        [API_MIX],
        "mixes",
    ),
    (
        "ids of a whole list kept in each process",
        {"PERFORMANCE_OFF": "memo_id_lists"},
        [API_MIX],
        "mixes",
    ),
    (
        "the findings search from an in-memory index (core/textindex/)",
        {"PERFORMANCE_OFF": "search_index"},
        [SEARCH_MIX],
        "mixes",
    ),
    (
        "memoised counts and facets, filter choices kept in each process",
        {"PERFORMANCE_OFF": "memo_counts"},
        [SEARCH_MIX],
        "mixes",
    ),
]

COVERING_INDEXES = {
    "finding_public_list_idx": "findings_finding",
    "recommendation_public_list_idx": "findings_recommendation",
    "finding_dialogue_list_idx": "findings_finding",
    "rec_dialogue_list_idx": "findings_recommendation",
}


def drop_covering_indexes(connection) -> dict[str, str]:
    """Drop the covering indexes; returns their definitions, to build them again."""
    rows = connection.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(COVERING_INDEXES)]
    ).fetchall()
    for name, _definition in rows:
        connection.execute(f'DROP INDEX "{name}"')
    for table in set(COVERING_INDEXES.values()):
        connection.execute(f'ANALYZE "{table}"')
    return dict(rows)


def restore_indexes(connection, definitions: dict[str, str]) -> None:
    for definition in definitions.values():
        connection.execute(definition)
    for table in set(COVERING_INDEXES.values()):
        connection.execute(f'ANALYZE "{table}"')


def run(targets: list[dict], phases: dict, measure, database_url: str, measure_mixes=None) -> list[dict]:
    """One row per mechanism and endpoint. `measure(env, target, hot)` runs one server and wrk;
    `measure_mixes(env, names)` one server and the named uncached mixes."""
    import psycopg

    by_name = {target["name"]: target for target in targets}
    rows = []
    for mechanism, env, names, phase in MECHANISMS:
        definitions = None
        if mechanism == "covering indexes":
            with psycopg.connect(database_url, autocommit=True) as connection:
                definitions = drop_covering_indexes(connection)
        if phase == "mixes" and measure_mixes is None:
            continue
        try:
            if phase == "mixes":
                without = measure_mixes(env, names)
            else:
                without = measure(env, [by_name[name] for name in names], hot=phase == "cached")
        finally:
            if definitions:
                with psycopg.connect(database_url, autocommit=True) as connection:
                    restore_indexes(connection, definitions)
        for name in names:
            with_rps, without_rps = phases[phase][name]["rps"], without[name]["rps"]
            rows.append(
                {
                    "mechanism": mechanism,
                    "endpoint": name,
                    "with_rps": with_rps,
                    "without_rps": without_rps,
                    "with_p95_ms": phases[phase][name]["p95_ms"],
                    "without_p95_ms": without[name]["p95_ms"],
                    "gain": round(with_rps / without_rps - 1, 3) if without_rps else None,
                }
            )
    return rows


def render(rows: list[dict]) -> list[str]:
    lines = [
        "| Mechanism | endpoint | with: req/s | p95 ms | without: req/s | p95 ms | gain |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        gain = f"{row['gain']:+.0%}" if row["gain"] is not None else "–"
        lines.append(
            f"| {row['mechanism']} | {row['endpoint']} | {row['with_rps']:,.0f} | {row['with_p95_ms']} | "
            f"{row['without_rps']:,.0f} | {row['without_p95_ms']} | {gain} |"
        )
    return lines
