"""The themes page's charts: findings and recommendations by status per theme, laid out for SVG."""

from dialogue.selectors import theme_list_public
from findings import selectors
from findings.models import RecommendationStatus

CHART_WIDTH = 640
CHART_ROW = 46
CHART_LABEL = 18
CHART_BAR = 18


def theme_statistics():
    """Per public theme: public findings and public recommendations by status, with chart geometry.

    Five queries; a top-level theme counts its sub-themes' records too. Bars are laid out here,
    so the template only writes numbers into SVG attributes.
    """
    themes = list(theme_list_public())
    finding_counts = selectors.theme_finding_counts_public()
    status_counts = selectors.theme_recommendation_status_counts_public()
    statuses = [{"value": value, "label": label} for value, label in RecommendationStatus.choices]
    max_findings = max([finding_counts.get(theme.slug, 0) for theme in themes] or [0]) or 1
    totals = {theme.pk: sum(status_counts.get(theme.slug, {}).values()) for theme in themes}
    max_recommendations = max(totals.values() or [0]) or 1
    rows = []
    for index, theme in enumerate(themes):
        y = index * CHART_ROW
        findings = finding_counts.get(theme.slug, 0)
        segments, x = [], 0.0
        for status in statuses:
            count = status_counts.get(theme.slug, {}).get(status["value"], 0)
            width = (CHART_WIDTH - 60) * count / max_recommendations
            segments.append({**status, "count": count, "x": round(x, 1), "width": round(width, 1)})
            x += width
        rows.append(
            {
                "theme": theme,
                "findings": findings,
                "findings_width": round((CHART_WIDTH - 60) * findings / max_findings, 1),
                "recommendations": totals[theme.pk],
                "segments": segments,
                "stack_end": round(x, 1),
                "label_y": y + CHART_LABEL - 4,
                "bar_y": y + CHART_LABEL + 2,
                "value_y": y + CHART_LABEL + 16,
                "findings_value_x": round((CHART_WIDTH - 60) * findings / max_findings + 6, 1),
                "stack_value_x": round(x + 6, 1),
            }
        )
    return {
        "rows": rows,
        "statuses": statuses,
        "used_statuses": [
            s
            for s in statuses
            if any(seg["count"] for r in rows for seg in r["segments"] if seg["value"] == s["value"])
        ],
        "width": CHART_WIDTH,
        "height": max(len(rows) * CHART_ROW, CHART_ROW),
        "bar_height": CHART_BAR,
        "has_findings": any(row["findings"] for row in rows),
        "has_recommendations": any(row["recommendations"] for row in rows),
    }
