"""Public pages of dialogues and themes.

Findings and recommendations sit in the higher `findings` app, so these pages list them through
its template tags (`atlas_findings`); this module never imports `findings`.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.citations import CitationDownloadMixin
from core.pages import SITE_NAME, Citation, PreviewMixin, absolute_url
from dialogue import selectors


def dialogue_jsonld(request, dialogue) -> dict:
    """schema.org Event describing a dialogue."""
    place = {"@type": "Place", "name": dialogue.venue or dialogue.city}
    address = {"@type": "PostalAddress"}
    if dialogue.city:
        address["addressLocality"] = dialogue.city
    if dialogue.country:
        address["addressCountry"] = dialogue.country.code
    place["address"] = address
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": absolute_url(request, dialogue.get_absolute_url()),
        "url": absolute_url(request, dialogue.get_absolute_url()),
        "name": dialogue.title,
        "startDate": dialogue.start_date.isoformat(),
        "endDate": dialogue.end_date.isoformat(),
        "inLanguage": get_language(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": place,
        "organizer": [
            {
                "@type": "Organization",
                "name": role.organization.name,
                "url": absolute_url(request, role.organization.get_absolute_url()),
            }
            for role in getattr(dialogue, "public_organizers", [])
        ],
    }
    if dialogue.summary:
        data["description"] = dialogue.summary
    themes = getattr(dialogue, "public_themes", [])
    if themes:
        data["keywords"] = ", ".join(theme.name for theme in themes)
    return data


def dialogue_citation(request, dialogue) -> Citation:
    """How to cite a dialogue's page."""
    return Citation(
        key=f"atlas-dialogue-{dialogue.slug}",
        title=dialogue.title,
        url=absolute_url(request, dialogue.get_absolute_url()),
        authors=[role.organization.short_name for role in getattr(dialogue, "public_organizers", [])],
        container=", ".join(
            part for part in (dialogue.city, dialogue.country.name if dialogue.country else "") if part
        ),
        date=dialogue.start_date,
        published=dialogue.published_at.date() if dialogue.published_at else None,
        genre=str(dialogue._meta.verbose_name),
        abstract=dialogue.summary or "",
        is_report=True,
    )


class DialogueListView(ListView):
    """Public dialogues, newest first."""

    template_name = "dialogue/dialogue_list.html"
    context_object_name = "dialogues"
    paginate_by = 20

    def get_queryset(self):
        return selectors.dialogue_list_public()


def dropped_in_words(dialogue) -> list[str]:
    """What the dialogue's published page leaves out (not published itself), one line each."""
    words = {
        "series": _("its series “%(record)s” and the series' timeline (a draft)"),
        "theme": _("the theme “%(record)s” (a draft)"),
        "organiser": _("the organiser “%(record)s” (its organisation is a draft)"),
        "affiliation": _("“%(record)s” as the affiliation of its participants (a draft)"),
    }
    return [
        words[kind] % {"record": record}
        for kind, record in selectors.dialogue_dropped_when_published(dialogue=dialogue)
    ]


class DialogueDetailView(CitationDownloadMixin, PreviewMixin, DetailView):
    """A dialogue: context, organisers, timeline, sessions, participants (or their profile),
    findings, recommendations and documents."""

    template_name = "dialogue/dialogue_detail.html"
    context_object_name = "dialogue"
    preview_permission = "dialogue.view_dialogue"

    def get_public_object(self):
        return selectors.dialogue_page_public(slug=self.kwargs["slug"])

    def get_preview_object(self):
        return selectors.dialogue_get_preview(slug=self.kwargs["slug"])

    def get_citation(self):
        return dialogue_citation(self.request, self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dialogue = self.object
        context["series"] = dialogue.public_series
        context["milestones"] = dialogue.public_series.public_milestones if dialogue.public_series else []
        if dialogue.is_chatham_house:
            context["profile"] = selectors.participation_profile_public(dialogue=dialogue)
        context["previous_edition"], context["next_edition"] = selectors.dialogue_editions_public(
            dialogue=dialogue
        )
        if self.is_preview:
            context["preview_dropped"] = dropped_in_words(dialogue)
        context["jsonld"] = dialogue_jsonld(self.request, dialogue)
        context["citation"] = dialogue_citation(self.request, dialogue)
        return context


class ThemeListView(ListView):
    """Public themes as a two-level tree, with the charts of findings and recommendations per theme."""

    template_name = "dialogue/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return selectors.theme_tree_public()


class ThemeDetailView(PreviewMixin, DetailView):
    """A theme: every public finding and recommendation on it, across dialogues."""

    template_name = "dialogue/theme_detail.html"
    context_object_name = "theme"
    preview_permission = "dialogue.view_theme"

    def get_public_object(self):
        return selectors.theme_get_public(slug=self.kwargs["slug"])

    def get_preview_object(self):
        return selectors.theme_get_preview(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        url = absolute_url(self.request, theme.get_absolute_url())
        parent = theme.parent if theme.parent and theme.parent.is_published else None
        context["parent"] = parent
        context["children"] = list(selectors.theme_children_public(theme=theme))
        context["jsonld"] = {
            "@context": "https://schema.org",
            "@type": "DefinedTerm",
            "@id": url,
            "url": url,
            "name": theme.name,
            "description": theme.description,
            "inLanguage": get_language(),
            "inDefinedTermSet": {"@type": "DefinedTermSet", "name": SITE_NAME},
        }
        context["citation"] = Citation(key=f"atlas-theme-{theme.slug}", title=theme.name, url=url)
        return context
