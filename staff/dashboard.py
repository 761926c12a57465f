"""The admin home's dashboard: my drafts, what waits for an Editor, missing translations, recently
published. Staff only; reads the models the admin site registers (nothing here is public)."""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from modeltranslation.translator import NotRegistered, translator

from core.models import PendingRevision, PublicationStatus, PublishableModel
from core.review import publication_parent, revision_list_waiting

PER_PANEL = 10
TARGET_LANGUAGES = ("fr", "ko")


@dataclass
class DashboardRow:
    label: str
    kind: str  # the model's verbose name
    url: str
    note: str = ""
    when: object = None


def _change_url(model, pk, site_name) -> str:
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk], current_app=site_name)
    except NoReverseMatch:
        return ""


def _publishable(models):
    return [model for model in models if issubclass(model, PublishableModel)]


def my_drafts(*, user, models, site_name) -> list[DashboardRow]:
    """Unpublished records this user created or last changed, newest change first."""
    rows = []
    for model in _publishable(models):
        history = getattr(model, "history", None)
        if history is None:
            continue
        mine = history.model.objects.filter(history_user=user).values(model._meta.pk.attname)
        drafts = model._base_manager.exclude(status=PublicationStatus.PUBLISHED).filter(pk__in=mine)
        for record in drafts.order_by("-updated_at")[:PER_PANEL]:
            rows.append(
                DashboardRow(
                    str(record),
                    str(model._meta.verbose_name),
                    _change_url(model, record.pk, site_name),
                    record.get_status_display(),
                    record.updated_at,
                )
            )
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows[:PER_PANEL]


def waiting_for_an_editor(*, models, site_name) -> list[DashboardRow]:
    """New records sent to review, and pending revisions of published ones, newest first."""
    rows = []
    for model in _publishable(models):
        for record in model._base_manager.filter(status=PublicationStatus.IN_REVIEW).order_by("-updated_at")[
            :PER_PANEL
        ]:
            rows.append(
                DashboardRow(
                    str(record),
                    str(model._meta.verbose_name),
                    _change_url(model, record.pk, site_name),
                    str(PublicationStatus.IN_REVIEW.label),
                    record.updated_at,
                )
            )
    for revision in revision_list_waiting(limit=PER_PANEL):
        model = revision.content_type.model_class()
        record = revision.record if model is not None else None
        if record is None:
            continue
        # A part without a page of its own (a session) is reviewed on its dialogue's page.
        parent = publication_parent(model)
        page_model, page_pk = (
            (parent.related_model, getattr(record, parent.attname)) if parent else (model, record.pk)
        )
        if page_model not in models:
            continue
        rows.append(
            DashboardRow(
                str(record),
                str(model._meta.verbose_name),
                _change_url(page_model, page_pk, site_name),
                str(PendingRevision._meta.verbose_name),
                revision.updated_at,
            )
        )
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows[:PER_PANEL]


def _missing_condition(fields, lang) -> Q:
    """Some field is filled in English and empty in `lang`."""
    condition = Q()
    for name in fields:
        english = ~Q(**{f"{name}_en": ""}) & Q(**{f"{name}_en__isnull": False})
        missing = Q(**{f"{name}_{lang}": ""}) | Q(**{f"{name}_{lang}__isnull": True})
        condition |= english & missing
    return condition


def missing_translations(*, models, site_name) -> dict[str, list[DashboardRow]]:
    """Per target language, records with a text filled in English and missing in that language."""
    found: dict[str, list[DashboardRow]] = {lang: [] for lang in TARGET_LANGUAGES}
    for model in models:
        try:
            fields = translator.get_options_for_model(model).fields
        except NotRegistered:
            continue
        for lang in TARGET_LANGUAGES:
            if len(found[lang]) >= PER_PANEL:
                continue
            queryset = model._base_manager.filter(_missing_condition(fields, lang))
            ordering = "-updated_at" if hasattr(model, "updated_at") else "-pk"
            for record in queryset.order_by(ordering)[: PER_PANEL - len(found[lang])]:
                empty = [
                    str(model._meta.get_field(name).verbose_name)
                    for name in fields
                    if getattr(record, f"{name}_en", None) and not getattr(record, f"{name}_{lang}", None)
                ]
                found[lang].append(
                    DashboardRow(
                        str(record),
                        str(model._meta.verbose_name),
                        _change_url(model, record.pk, site_name),
                        ", ".join(empty),
                    )
                )
    return found


def recently_published(*, models, site_name) -> list[DashboardRow]:
    """The records published most recently (scheduled ones included, by their time)."""
    rows = []
    for model in _publishable(models):
        for record in model._base_manager.filter(status=PublicationStatus.PUBLISHED).order_by(
            "-published_at"
        )[:PER_PANEL]:
            rows.append(
                DashboardRow(
                    str(record),
                    str(model._meta.verbose_name),
                    _change_url(model, record.pk, site_name),
                    "",
                    record.published_at,
                )
            )
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows[:PER_PANEL]


def dashboard(*, user, models, site_name) -> dict:
    """Every panel of the dashboard for `user`, over the `models` they may see."""
    return {
        "my_drafts": my_drafts(user=user, models=models, site_name=site_name),
        "waiting": waiting_for_an_editor(models=models, site_name=site_name),
        "missing": missing_translations(models=models, site_name=site_name),
        "recent": recently_published(models=models, site_name=site_name),
    }
