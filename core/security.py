"""Security glue: the Permissions-Policy header, the staff roles, and the link check on every save."""

from django.conf import settings

from core.curation import is_curated

EDITOR_GROUP = "Editor"
ANALYST_GROUP = "Analyst"
TRANSLATOR_GROUP = "Translator"
# A Translator may change the French and Korean columns of translated fields, nothing else.
TRANSLATOR_LANGUAGES = ("fr", "ko")


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy` (settings.PERMISSIONS_POLICY) to every response that lacks one.

    Django's SecurityMiddleware sets the other security headers; it has no setting for this one.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.policy
        return response


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_atlas_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True) if user.is_authenticated else ())
        user._atlas_group_names = cached
    return cached


def is_translator_only(user) -> bool:
    """A Translator who is neither an Analyst, an Editor nor a superuser: fr/ko text only."""
    if not user.is_authenticated or user.is_superuser:
        return False
    groups = _group_names(user)
    return TRANSLATOR_GROUP in groups and not groups & {ANALYST_GROUP, EDITOR_GROUP}


def second_factor_required(user) -> bool:
    """With OTP_REQUIRED_FOR_EDITORS, Editors and superusers must pass a TOTP check for the admin."""
    if not getattr(settings, "OTP_REQUIRED_FOR_EDITORS", False) or not user.is_authenticated:
        return False
    return user.is_superuser or EDITOR_GROUP in _group_names(user)


SAFE_LINK_SCHEMES = frozenset({"http", "https"})


def refuse_unsafe_links(sender, instance, raw=False, **kwargs):
    """No write path (admin, import, shell, services) stores a link a browser would run.

    Link fields of curated records are shown as `href`s on the public site. The admin's form
    validates them, an import or a script does not: a `javascript:` or `data:` URL is refused here.
    Fixture loads (`raw`, as in import_corpus) restore what was there.
    """
    if raw or not is_curated(sender):
        return
    from urllib.parse import urlsplit

    from django.core.exceptions import ValidationError
    from django.db.models import URLField
    from django.utils.translation import gettext as _

    for field in sender._meta.concrete_fields:
        if not isinstance(field, URLField):
            continue
        value = (getattr(instance, field.attname) or "").strip()
        scheme = urlsplit(value).scheme.lower() if value else ""
        if scheme and scheme not in SAFE_LINK_SCHEMES:
            raise ValidationError(
                {
                    field.name: _("Only http and https links are allowed, not “%(scheme)s:”.")
                    % {"scheme": scheme}
                }
            )
