"""Translators work from the translators' pages (view and mark reviewed); analysts and editors
too, and they keep the Korean search words."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Translator": ["view_translationstatus", "change_translationstatus"],
    "Analyst": ["view_translationstatus", "change_translationstatus"]
    + [f"{action}_koreanword" for action in ("view", "add", "change", "delete")],
    "Editor": ["view_translationstatus", "change_translationstatus"]
    + [f"{action}_koreanword" for action in ("view", "add", "change", "delete")],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="core", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="core", codename__in=GRANTS[group.name])
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_accent_insensitive_search")]

    operations = [migrations.RunPython(grant, revoke)]
