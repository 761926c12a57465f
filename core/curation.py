"""Which apps hold curated content. Each registers itself from its `AppConfig.ready()`.

The kernel's own machinery (the page cache, restorable deletions, link checks, the backup) acts on
curated models without naming the apps that hold them.
"""

from django.apps import AppConfig

_apps: dict[str, AppConfig] = {}


def register_curated_app(app_config: AppConfig) -> None:
    """Mark an app's models as curated content (called from the app's `ready()`)."""
    _apps[app_config.label] = app_config


def curated_app_labels() -> tuple[str, ...]:
    """Labels of the curated apps, in the order they registered (lower layers first)."""
    return tuple(_apps)


def is_curated(model) -> bool:
    """The model belongs to a curated app (historical models included)."""
    return model._meta.app_label in _apps


def curated_models(*, include_auto_created: bool = False) -> list:
    """Every model of the curated apps, in registration order."""
    return [
        model
        for app_config in _apps.values()
        for model in app_config.get_models(include_auto_created=include_auto_created)
    ]


_personal: list = []


def register_personal_data(model) -> None:
    """Mark a model as personal data (called from its app's `ready()`): the backup holds its rows
    only when asked to (`export_corpus --include-personal-data`), in registration order."""
    if model not in _personal:
        _personal.append(model)


def personal_data_models() -> list:
    """The models registered as personal data, in registration order (parents first)."""
    return list(_personal)
