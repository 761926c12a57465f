"""The site-wide search box: its `q` is checked as every list's is (core.api.filters.SearchField)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.api.filters import SearchField


class SearchForm(forms.Form):
    q = SearchField(label=_("Search"))
