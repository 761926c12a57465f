"""Editors may publish a consenting person on their own (otherwise people appear through a public
dialogue only)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADDED = {"Editor": [("stakeholders", "publish_person")]}


def add_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ADDED.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *[Permission.objects.get(content_type__app_label=app, codename=code) for app, code in wanted]
        )


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ADDED.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*Permission.objects.filter(codename__in=[code for _app, code in wanted]))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_pending_revision"),
        ("stakeholders", "0002_person_published_alone"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
