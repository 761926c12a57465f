"""Import/export base: explicit per-language columns, and publication rights on import."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources

from core.models import PublicationStatus

LANGUAGES = ("en", "fr", "ko")


def per_language(*names: str) -> tuple[str, ...]:
    """Column names for translated fields: title_en, title_fr, title_ko, ..."""
    return tuple(f"{name}_{lang}" for name in names for lang in LANGUAGES)


class CuratedResource(resources.ModelResource):
    """A resource whose rows may not publish unless the importing user may publish."""

    publish_permission: str | None = None

    def __init__(self, **kwargs):
        super().__init__()
        self.user = kwargs.get("user")

    def before_import(self, dataset, **kwargs):
        self.user = kwargs.get("user", self.user)
        super().before_import(dataset, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        if (
            self.publish_permission
            and getattr(instance, "status", None) == PublicationStatus.PUBLISHED
            and not (self.user is not None and self.user.has_perm(self.publish_permission))
        ):
            raise ValidationError({"status": _("You do not have permission to publish.")})
        super().before_save_instance(instance, row, **kwargs)
