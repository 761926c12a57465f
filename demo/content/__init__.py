"""The Canada–Korea Track 1.5 Dialogue on AI (Seoul, 9 July 2025), as its summary records it.

Source: the dialogue's French summary (`SOURCE_DOCUMENT`). Every record names the part of the
summary it comes from (`source_locator`); nothing here goes beyond what the summary says.
The summary names no participants, so there are organisations but no people. Each text is given
in English, French and Korean.

`context` holds the dialogue, its organisers, themes, series and the bilateral timeline;
`outcomes` its findings and recommendations.
"""

from demo.content.context import (
    DIALOGUE,
    MILESTONES,
    ORGANIZATIONS,
    PUBLISHED_AT,
    SERIES,
    SOURCE_DOCUMENT,
    THEMES,
)
from demo.content.outcomes import FINDINGS, RECOMMENDATIONS

__all__ = [
    "DIALOGUE",
    "FINDINGS",
    "MILESTONES",
    "ORGANIZATIONS",
    "PUBLISHED_AT",
    "RECOMMENDATIONS",
    "SERIES",
    "SOURCE_DOCUMENT",
    "THEMES",
]
