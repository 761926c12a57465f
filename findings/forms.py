"""Filter forms of the public lists: validated before any value reaches a query."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.search import MAX_QUERY_LENGTH
from findings.models import FindingKind, Perspective, RecommendationStatus

QUERY_TOO_LONG = _("Your search is too long. Please use at most %(limit_value)d characters.")


class SearchField(forms.CharField):
    """A free-text query: at most MAX_QUERY_LENGTH characters, no NUL characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = QUERY_TOO_LONG
        self.widget.attrs.update({"type": "search", "autocomplete": "off"})


class SearchForm(forms.Form):
    """The site-wide search box."""

    q = SearchField(label=_("Search"))


class FindingFilterForm(forms.Form):
    """Findings list: text, theme, dialogue, kind and perspective (theme and dialogue by slug)."""

    q = SearchField(label=_("Search findings"))
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    dialogue = forms.ChoiceField(label=_("Dialogue"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *FindingKind.choices]
    )
    perspective = forms.ChoiceField(
        label=_("Perspective"), required=False, choices=[("", _("Any perspective")), *Perspective.choices]
    )

    def __init__(self, *args, themes=(), dialogues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Any theme")), *((t.slug, t.name) for t in themes)]
        self.fields["dialogue"].choices = [("", _("Any dialogue")), *((d.slug, d.title) for d in dialogues)]


class RecommendationFilterForm(forms.Form):
    """Recommendations tracker: implementation status, theme, addressee (organisation or country)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *RecommendationStatus.choices]
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    addressee = forms.ChoiceField(label=_("Addressed to"), required=False)

    def __init__(self, *args, themes=(), organizations=(), countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Any theme")), *((t.slug, t.name) for t in themes)]
        self.country_codes = {country.code for country in countries}
        self.fields["addressee"].choices = [
            ("", _("Anyone")),
            (_("Organisations"), [(o.slug, o.name) for o in organizations]),
            (_("Countries"), [(c.code, c.name) for c in countries]),
        ]

    def clean_addressee(self):
        return self.cleaned_data.get("addressee", "")
