"""The subscription form and the form that changes an address's settings.

Every field refuses what could reach a mail header or a query unchecked: line breaks and other
control characters, addresses longer than a mail server accepts, themes and series that are not
public, and searches the findings list itself would refuse.
"""

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from alerts.models import EMAIL_MAX_LENGTH, QUERY_MAX_LENGTH, Frequency, TargetKind
from dialogue import selectors as dialogue_selectors
from findings.filters import FindingFilterSet

# Filters of the findings list that describe what to follow; the rest (ordering, pages, changed
# since) only arrange one reading of it.
SEARCH_FILTERS = ("q", "theme", "dialogue", "kind", "perspective", "date_from", "date_to")


def _no_control_characters(value: str) -> None:
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise forms.ValidationError(_("Line breaks and control characters are not allowed."), code="control")


class AddressField(forms.CharField):
    """An e-mail address, one line, at most EMAIL_MAX_LENGTH characters, stored in lower case."""

    def __init__(self, **kwargs):
        super().__init__(max_length=EMAIL_MAX_LENGTH, strip=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        _no_control_characters(value)
        return value.strip().lower()

    def validate(self, value):
        super().validate(value)
        try:
            validate_email(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(_("Enter a valid e-mail address."), code="invalid") from error


def normalise_search(query: str) -> str | None:
    """The findings list's query string, checked by its own FilterSet, as a canonical query
    string of the filters that choose findings; None if the list would refuse it or it is empty."""
    data = QueryDict(query.lstrip("?"))
    subset = QueryDict(mutable=True)
    for name in SEARCH_FILTERS:
        values = data.getlist(name)
        if len(values) > 1:
            return None
        if values and values[0].strip():
            subset[name] = values[0]
    filterset = FindingFilterSet(subset)
    if not filterset.is_valid():
        return None
    return filterset.key() or None


class SubscribeForm(forms.Form):
    email = AddressField(label=_("Your e-mail address"))
    kind = forms.ChoiceField(
        label=_("What to follow"), choices=TargetKind.choices, initial=TargetKind.EVERYTHING
    )
    theme = forms.SlugField(label=_("Theme"), required=False, max_length=120)
    series = forms.SlugField(label=_("Dialogue series"), required=False, max_length=120)
    query = forms.CharField(label=_("Search"), required=False, max_length=QUERY_MAX_LENGTH)
    language = forms.ChoiceField(label=_("Language of the messages"), choices=settings.LANGUAGES)
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices, initial=Frequency.DAILY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = list(dialogue_selectors.theme_list_public())
        self.series_list = list(dialogue_selectors.series_list_public())
        self.fields["theme"].widget = forms.Select(
            choices=[("", _("Choose a theme")), *[(theme.slug, str(theme)) for theme in self.themes]]
        )
        self.fields["series"].widget = forms.Select(
            choices=[("", _("Choose a series")), *[(series.slug, str(series)) for series in self.series_list]]
        )

    def clean_query(self):
        query = self.cleaned_data.get("query", "")
        _no_control_characters(query)
        return query

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        cleaned["theme_obj"] = cleaned["series_obj"] = None
        if kind == TargetKind.THEME:
            found = [theme for theme in self.themes if theme.slug == cleaned.get("theme")]
            if not found:
                self.add_error("theme", _("Choose one of the themes."))
            else:
                cleaned["theme_obj"] = found[0]
        elif kind == TargetKind.SERIES:
            found = [series for series in self.series_list if series.slug == cleaned.get("series")]
            if not found:
                self.add_error("series", _("Choose one of the dialogue series."))
            else:
                cleaned["series_obj"] = found[0]
        elif kind == TargetKind.SEARCH and "query" in cleaned:
            normal = normalise_search(cleaned["query"])
            if normal is None:
                self.add_error("query", _("This search is empty or not one the findings list accepts."))
            else:
                cleaned["query"] = normal
        return cleaned


class SettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the messages"), choices=settings.LANGUAGES)
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices)
