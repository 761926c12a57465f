"""The translators' pages in the admin: per language, what is missing or outdated (by record
type, theme, dialogue), with the English, the current translation and, for outdated fields, what
changed in the English; a Translator marks a translation reviewed. XLIFF export and import (with a
preview) for CAT tools. And the analysts' Korean search words."""

import base64
import binascii
import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core import korean, translations, xliff
from core.models import KoreanWord, TranslationState, TranslationStatus
from dialogue.models import Dialogue, Theme

LANGUAGE_NAMES = {"fr": _("French"), "ko": _("Korean")}
LISTED = (TranslationState.MISSING, TranslationState.OUTDATED, TranslationState.MACHINE)
PAGE_SIZE = 50


def source_diff(before: str, after: str) -> str:
    """The English change, word by word: removed words in <del>, added ones in <ins>."""
    old, new = before.split(), after.split()
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", " ".join(old[i1:i2])))
        if tag in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", " ".join(new[j1:j2])))
        if tag == "equal":
            parts.append(format_html("{}", " ".join(old[i1:i2])))
    return format_html_join(" ", "{}", ((part,) for part in parts))


class WorkFilters(forms.Form):
    """The filters of a language's page."""

    type = forms.ChoiceField(label=_("Record type"), required=False)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.order_by("name_en"), required=False
    )
    dialogue = forms.ModelChoiceField(
        label=_("Dialogue"),
        queryset=Dialogue.objects.order_by("-start_date"),
        to_field_name="slug",
        required=False,
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=[(state.value, state.label) for state in TranslationState],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All"))] + [
            (record.name, model._meta.verbose_name_plural) for model, record in translations.REGISTRY.items()
        ]

    def todo(self, language: str) -> list[translations.Unit]:
        data = self.cleaned_data
        model = next((m for m, r in translations.REGISTRY.items() if r.name == data.get("type")), None)
        return translations.translation_todo(
            language=language,
            statuses=tuple(data.get("status") or translations.TODO),
            model=model,
            dialogue=data["dialogue"].slug if data.get("dialogue") else None,
            theme=data["theme"].pk if data.get("theme") else None,
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLIFF file"), required=False)
    data = forms.CharField(widget=forms.HiddenInput, required=False)


@admin.register(TranslationStatus)
class TranslationStatusAdmin(admin.ModelAdmin):
    """Not a list of rows: the pages translators work from, one per language."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="translations-import"),
            path("review/", view(self.review_view), name="translations-review"),
            path("<str:language>/", view(self.work_view), name="translations-work"),
            path("<str:language>/xliff/", view(self.export_view), name="translations-export"),
            path("", view(self.changelist_view), name="core_translationstatus_changelist"),
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:translations-work", language="ko")

    def _language(self, request, language):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if language not in translations.TARGET_LANGUAGES:
            raise Http404
        return language

    def work_view(self, request, language):
        language = self._language(request, language)
        filters = WorkFilters(request.GET or None)
        units = (
            filters.todo(language) if filters.is_valid() else translations.translation_todo(language=language)
        )
        page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            {
                "unit": unit,
                "opts": type(unit.record)._meta,
                "diff": source_diff(unit.previous_source, unit.source)
                if unit.previous_source is not None
                else "",
            }
            for unit in page
        ]
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translations to do in %(language)s") % {"language": LANGUAGE_NAMES[language]},
            "language": language,
            "languages": LANGUAGE_NAMES,
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "may_review": self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/translations/work.html", context)

    def export_view(self, request, language):
        language = self._language(request, language)
        filters = WorkFilters(request.GET)
        filters.is_valid()
        data = filters.cleaned_data
        dialogue = data.get("dialogue")
        statuses = tuple(data.get("status") or translations.TODO)
        body = xliff.xliff_export(
            language=language, statuses=statuses, dialogue=dialogue.slug if dialogue else None
        )
        response = HttpResponse(body, content_type="application/x-xliff+xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="dialogue-atlas-{language}.xlf"'
        return response

    def review_view(self, request):
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        name, pk, field, language = (request.POST.get(key, "") for key in ("type", "id", "field", "language"))
        model = next((m for m, r in translations.REGISTRY.items() if r.name == name), None)
        if model is None or field not in translations.REGISTRY[model].fields or not pk.isdigit():
            raise Http404
        if language not in translations.TARGET_LANGUAGES:
            raise Http404
        instance = model._default_manager.filter(pk=int(pk)).first()
        if instance is None or not getattr(instance, f"{field}_{language}", ""):
            raise Http404
        translations.translation_mark_reviewed(instance=instance, field=field, language=language)
        messages.success(
            request, _("Marked reviewed: %(record)s, %(field)s.") % {"record": instance, "field": field}
        )
        return redirect(request.POST.get("next") or reverse("admin:translations-work", args=[language]))

    def import_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = error = None
        encoded = ""
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["file"]:
                    raw = form.cleaned_data["file"].read()
                else:
                    raw = base64.b64decode(form.cleaned_data["data"], validate=True)
                confirmed = "apply" in request.POST and not form.cleaned_data["file"]
                report = xliff.xliff_import(raw, dry_run=not confirmed)
                encoded = base64.b64encode(raw).decode()
            except (xliff.XliffError, binascii.Error) as problem:
                error = str(problem)
            else:
                if confirmed:
                    messages.success(
                        request,
                        _("%(applied)s translations applied, %(refused)s refused.")
                        % {"applied": len(report.applied), "refused": len(report.refused)},
                    )
                    for unit_id, why in report.refused:
                        messages.warning(request, f"{unit_id}: {why}")
                    return redirect("admin:translations-work", language=report.language)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import an XLIFF file"),
            "form": form,
            "report": report,
            "error": error,
            "encoded": encoded,
            "languages": LANGUAGE_NAMES,
        }
        return TemplateResponse(request, "admin/translations/import.html", context)


@admin.register(KoreanWord)
class KoreanWordAdmin(admin.ModelAdmin):
    """The analysts' compounds for Korean search; saving one analyses again the records using it."""

    list_display = ("word", "tag", "created_at")
    search_fields = ("word",)
    fields = ("word", "tag")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        count = korean.korean_word_add(word=obj.word, tag=obj.tag)
        if korean.is_enabled():
            messages.info(request, _("%(count)s records analysed again.") % {"count": count})
