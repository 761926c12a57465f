"""Create the Analyst, Editor and Translator groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = {
    "stakeholders": ["organization", "person"],
    "dialogue": [
        "theme",
        "dialogueseries",
        "dialogue",
        "dialogueorganizer",
        "dialoguedocument",
        "session",
        "participation",
        "milestone",
    ],
    "findings": ["finding", "recommendation", "recommendationupdate"],
}
PUBLISHABLE = {
    "stakeholders": ["organization"],
    "dialogue": ["theme", "dialogueseries", "dialogue"],
    "findings": ["finding", "recommendation"],
}
TRANSLATED = {
    "stakeholders": ["organization", "person"],
    "dialogue": [
        "theme",
        "dialogueseries",
        "dialogue",
        "dialoguedocument",
        "session",
        "participation",
        "milestone",
    ],
    "findings": ["finding", "recommendation", "recommendationupdate"],
}


def codes(models, actions):
    return [
        (app, f"{action}_{model}") for app, names in models.items() for model in names for action in actions
    ]


GROUPS = {
    # Analysts draft: they add and change everything, delete drafts, and never publish.
    "Analyst": codes(CURATED, ["view", "add", "change", "delete"]),
    # Editors publish, on top of everything an analyst does.
    "Editor": codes(CURATED, ["view", "add", "change", "delete"])
    + [(app, f"publish_{model}") for app, names in PUBLISHABLE.items() for model in names],
    # Translators change translated text only (the admin limits them to French and Korean fields).
    "Translator": codes(CURATED, ["view"]) + codes(TRANSLATED, ["change"]),
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("stakeholders", "0001_initial"),
        ("dialogue", "0001_initial"),
        ("findings", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
