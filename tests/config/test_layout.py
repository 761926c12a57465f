"""The floor plan holds: config is wiring, every package sits in the layers contract, templates
render what views give them."""

import re
import tomllib
from pathlib import Path

from django.template.backends.django import get_installed_libraries

ROOT = Path(__file__).resolve().parents[2]
NOT_PACKAGES = {"tests", "scripts"}


def top_level_packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_PACKAGES and not path.parent.name.startswith(".")
    }


def layers_contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return {"root_packages": set(config["root_packages"]), "layers": contract["layers"]}


def test_every_top_level_package_is_in_the_layers_contract():
    contract = layers_contract()
    named = {name.strip() for layer in contract["layers"] for name in re.split(r"[|:]", layer)}
    assert top_level_packages() == contract["root_packages"] == named
    assert contract["layers"][0] == "config" and contract["layers"][-1] == "core"


def test_config_is_wiring_only():
    lines = sum(len(path.read_text().splitlines()) for path in (ROOT / "config").glob("*.py"))
    assert lines <= 600
    assert not (ROOT / "config" / "apps.py").exists()
    assert not (ROOT / "config" / "models.py").exists()


def test_no_module_passes_about_five_hundred_lines():
    too_long = {
        str(path.relative_to(ROOT)): count
        for package in top_level_packages()
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and (count := len(path.read_text().splitlines())) > 500
    }
    assert too_long == {}


def test_templates_load_no_tag_library_above_the_kernel():
    """The only tag library of ours is the kernel's; a page that needs a higher app's data gets it
    from its view (web/views.py composes such pages)."""
    libraries = get_installed_libraries()  # name -> module path
    apps_above_core = top_level_packages() - {"core"}
    assert not [package for package in apps_above_core if (ROOT / package / "templatetags").exists()]
    loaded = set()
    for template in (ROOT / "templates").rglob("*.html"):
        for names in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", template.read_text()):
            loaded.update(names.split())
    assert "atlas" in loaded
    assert not [name for name in loaded if libraries[name].split(".")[0] in apps_above_core]
