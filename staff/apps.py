from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The staff side: two-step sign-in, backup and restore, operators' commands."""

    default = True
    name = "staff"
    verbose_name = _("Staff")

    def ready(self):
        # The translators' pages and the Korean search words (staff/translations.py).
        from staff import translations  # noqa: F401


class AtlasAdminConfig(admin_apps.AdminConfig):
    """The admin app, serving `staff.admin_site.AtlasAdminSite` (two-step sign-in) as `admin.site`."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "staff.admin_site.AtlasAdminSite"
