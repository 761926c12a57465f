"""The themes page's charts: findings and recommendations by status per theme, laid out for SVG."""

from dialogue.selectors import theme_list_public
from findings import selectors
from findings.models import RecommendationStatus

CHART_WIDTH = 640
CHART_ROW = 46
CHART_LABEL = 18
CHART_BAR = 18
BAR_SPACE = CHART_WIDTH - 60  # room left for the value written after each bar


def svg_number(value: float) -> str:
    """A coordinate or length for an SVG attribute: always a dot, never the reader's decimal comma.

    Django writes a float in a template in the active language's format (`232,0` in French), which
    is no number to a browser, so chart geometry leaves here as strings the template cannot
    localise.
    """
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def theme_statistics():
    """Per public theme: public findings and public recommendations by status, with chart geometry.

    Five queries; a top-level theme counts its sub-themes' records too. Bars are laid out here, so
    the template only writes into SVG attributes the strings that `svg_number()` makes.
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
            width = BAR_SPACE * count / max_recommendations
            segments.append({**status, "count": count, "x": svg_number(x), "width": svg_number(width)})
            x += width
        findings_width = BAR_SPACE * findings / max_findings
        rows.append(
            {
                "theme": theme,
                "findings": findings,
                "findings_width": svg_number(findings_width),
                "recommendations": totals[theme.pk],
                "segments": segments,
                "label_y": svg_number(y + CHART_LABEL - 4),
                "bar_y": svg_number(y + CHART_LABEL + 2),
                "value_y": svg_number(y + CHART_LABEL + 16),
                "findings_value_x": svg_number(findings_width + 6),
                "stack_value_x": svg_number(x + 6),
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
        "width": svg_number(CHART_WIDTH),
        "height": svg_number(max(len(rows) * CHART_ROW, CHART_ROW)),
        "bar_height": svg_number(CHART_BAR),
        "has_findings": any(row["findings"] for row in rows),
        "has_recommendations": any(row["recommendations"] for row in rows),
    }
