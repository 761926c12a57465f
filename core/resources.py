"""Import/export base: explicit per-language columns, and an import that respects the importer's role.

- An import changes only what its user may change: a Translator the French and Korean text
  columns, an Analyst everything but publication (`status`, `published_at`), an Editor everything.
  Other columns in the file are ignored, not refused, and the preview says which.
- A row that changes nothing the user may change is skipped.
- A change to a published record by someone who may not publish waits as a pending revision
  (core/review.py), like an edit in the admin.
- Every reference that does not resolve (a slug, an id, a country code) is an error on its row,
  and a file with any error writes nothing.
"""

import functools

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import CountryField
from import_export import resources, widgets

from core import review
from core.locking import _same as same_value
from core.security import TRANSLATOR_LANGUAGES, is_translator_only

LANGUAGES = ("en", "fr", "ko")


def per_language(*names: str) -> tuple[str, ...]:
    """Column names for translated fields: title_en, title_fr, title_ko, ..."""
    return tuple(f"{name}_{lang}" for name in names for lang in LANGUAGES)


class ExistingForeignKeyWidget(widgets.ForeignKeyWidget):
    """A reference by slug (or id) that must name an existing record: else an error on its row."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as error:
            raise ValueError(
                _("No %(model)s “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "value": force_str(value)}
            ) from error
        except (ValueError, TypeError) as error:
            raise ValueError(
                _("“%(value)s” does not name a %(model)s.")
                % {"model": self.model._meta.verbose_name, "value": force_str(value)}
            ) from error


class ExistingManyToManyWidget(widgets.ManyToManyWidget):
    """References separated by commas, each of which must name an existing record."""

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        if not value:
            return found
        wanted = [str(value)] if isinstance(value, int | float) else value.split(self.separator)
        wanted = [item.strip() for item in wanted if item.strip()]
        known = {str(key) for key in found.values_list(self.field, flat=True)}
        missing = [item for item in wanted if item not in known]
        if missing:
            raise ValueError(
                _("No %(model)s “%(values)s”.")
                % {"model": self.model._meta.verbose_name, "values": "”, “".join(missing)}
            )
        return found


class CountryWidget(widgets.CharWidget):
    """ISO 3166-1 alpha-2 codes (several separated by commas for a multiple field), checked."""

    def __init__(self, multiple: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.multiple = multiple

    def clean(self, value, row=None, **kwargs):
        codes = [code.strip().upper() for code in force_str(value or "").split(",") if code.strip()]
        unknown = [code for code in codes if code not in countries]
        if unknown:
            raise ValueError(_("Unknown country code: %(codes)s.") % {"codes": ", ".join(unknown)})
        if not self.multiple and len(codes) > 1:
            raise ValueError(_("One country code only."))
        return codes if self.multiple else (codes[0] if codes else "")

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, list | tuple):
            return ",".join(getattr(item, "code", str(item)) for item in value)
        return getattr(value, "code", value) or ""


class CuratedResource(resources.ModelResource):
    """A curated model's import: what the user may change, strict references, review of published rows."""

    publish_permission: str | None = None

    def __init__(self, **kwargs):
        super().__init__()
        self.user = kwargs.get("user")
        self.ignored_columns: list[str] = []
        self.held: set = set()

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, CountryField):
            return functools.partial(CountryWidget, multiple=f.multiple)
        return super().widget_from_django_field(f, default)

    @classmethod
    def get_fk_widget(cls, field):
        return functools.partial(ExistingForeignKeyWidget, model=field.related_model)

    @classmethod
    def get_m2m_widget(cls, field):
        return functools.partial(ExistingManyToManyWidget, model=field.related_model)

    # What this user may change -----------------------------------------------------------------

    def _translator_only(self) -> bool:
        return self.user is not None and is_translator_only(self.user)

    def _may_publish(self) -> bool:
        return bool(
            self.publish_permission and self.user is not None and self.user.has_perm(self.publish_permission)
        )

    def may_import_field(self, field) -> bool:
        """Whether this import's user may change the column of `field`."""
        name = field.attribute or field.column_name
        if self._translator_only():
            return any(name.endswith(f"_{lang}") for lang in TRANSLATOR_LANGUAGES) and name[:-3] in (
                review.translated_field_names(self._meta.model)
            )
        if name in review.PUBLICATION_FIELDS:
            return self._may_publish()
        return True

    def get_import_fields(self):
        return [field for field in super().get_import_fields() if self.may_import_field(field)]

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user", self.user)
        headers = set(dataset.headers or [])
        id_columns = {field.column_name for field in self.get_import_id_fields_objects()}
        self.ignored_columns = [
            field.column_name
            for field in super().get_import_fields()
            if field.column_name in headers
            and field.column_name not in id_columns
            and not self.may_import_field(field)
        ]
        super().before_import(dataset, **kwargs)

    def get_import_id_fields_objects(self):
        return [self.fields[name] for name in self.get_import_id_fields() if name in self.fields]

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        notices = []
        if self.ignored_columns:
            if self._translator_only():
                text = _(
                    "Translators change French and Korean text only; these columns were ignored: %(columns)s."
                )
            else:
                text = _("Only an Editor can publish; these columns were ignored: %(columns)s.")
            notices.append(text % {"columns": ", ".join(self.ignored_columns)})
        if self.held:
            notices.append(
                _(
                    "%(count)d published records will change only when an Editor approves: "
                    "their changes are held as pending revisions."
                )
                % {"count": len(self.held)}
            )
        result.atlas_notices = notices

    # Rows ----------------------------------------------------------------------------------------

    def after_init_instance(self, instance, new, row, **kwargs):
        if new and self._translator_only():
            raise ValidationError(_("Translators cannot create records; this row names no existing record."))
        super().after_init_instance(instance, new, row, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A cell equal to the stored value (an empty cell for a null column) writes nothing.
        if not is_m2m and field.attribute and field.column_name in row and "__" not in field.attribute:
            if same_value(field.clean(row, **kwargs), field.get_value(instance)):
                return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        # Check many-to-many references too (import-export reads them only when it saves them).
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(force_str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a row that changes nothing this user may change (an empty cell equals a null one)."""
        if (
            not self._meta.skip_unchanged
            or import_validation_errors
            or original is None
            or original.pk is None
        ):
            return False
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                proposed = sorted(obj.pk for obj in field.clean(row))
                if proposed != sorted(obj.pk for obj in field.get_value(original).all()):
                    return False
            elif not same_value(field.get_value(instance), field.get_value(original)):
                return False
        return True

    def save_instance(self, instance, is_create, row, **kwargs):
        if not is_create and review.review_required(instance=instance, user=self.user):
            links = {
                field.attribute: [obj.pk for obj in field.clean(row)]
                for field in self.get_import_fields()
                if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row
            }
            review.revision_propose(instance=instance, user=self.user, links=links)
            self.held.add(instance.pk)
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        if instance.pk in self.held:
            return  # the links wait in the pending revision
        super().save_m2m(instance, row, **kwargs)
