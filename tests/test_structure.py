"""The house rules of the code base, checked on the source (see the Layout section of README.md).

- a domain never imports another domain's views: shared behaviour lives in services,
  queries, panels or the top-level modules (only the factory, ``dla/__init__.py``, registers
  every domain's blueprint);
- no private name (``_x``) is imported from another module: what is shared is public;
- views do not build queries (no ``select``) and do not commit by hand: they call services,
  ask ``queries.py`` and save through ``dla.errors.saving``;
- ``create_app`` wires guards, listeners and the user loader explicitly (``install``), not by
  importing a module for its side effects;
- no module grows past 600 lines unless it is one idea, named below with the reason;
- an ``aliased()`` at module level is made with ``dla.db.shared_alias`` (every thread of a
  worker shares it; see there).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dla"
MAX_LINES = 600
# Long files that are one idea each; every entry says why.
LONG_BUT_ONE_IDEA: dict[str, str] = {
    "dla.agendas.importing.parser": "one state machine over a document's lines: a single class "
    "whose ~45 handlers share its state (draft, group, open list, warnings)",
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return (
        parts[1]
        if len(parts) > 2 or (len(parts) == 2 and PACKAGE.joinpath(parts[1]).is_dir())
        else None
    )


def _is_views(module: str) -> bool:
    parts = module.split(".")
    return len(parts) >= 3 and parts[2] == "views"


def _imports(path: Path):
    """(imported module, imported names) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]


MODULES = _modules()


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_domain_imports_another_domains_views(path):
    here = _name(path)
    if here == "dla":
        return  # the factory registers every blueprint
    for module, names in _imports(path):
        targets = [module] + [f"{module}.{n}" for n in names]
        for target in targets:
            if target.startswith("dla.") and _is_views(target):
                assert _domain(target) == _domain(here), f"{here} imports {target}"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_private_name_is_imported_from_another_module(path):
    here = _name(path)
    for module, names in _imports(path):
        if not module.startswith("dla") or module == here:
            continue
        private = [n for n in names if n.startswith("_")]
        assert not private, f"{here} imports {private} from {module}"


VIEWS = [p for p in MODULES if _is_views(_name(p))]


@pytest.mark.parametrize("path", VIEWS, ids=_name)
def test_views_neither_build_queries_nor_commit_by_hand(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    for module, names in _imports(path):
        if module == "sqlalchemy":
            assert "select" not in names, f"{_name(path)} builds queries: move them to queries.py"
    commits = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
    ]
    assert not commits, f"{_name(path)} commits by hand on lines {commits}: use dla.errors.saving"


def test_create_app_imports_nothing_for_its_side_effects():
    source = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    side_effects = [line.strip() for line in source.splitlines() if "noqa: F401" in line]
    assert not side_effects, "register guards and listeners with install(app): " + str(side_effects)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_modules_stay_small_enough_to_hold_in_your_head(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    name = _name(path)
    if name in LONG_BUT_ONE_IDEA:
        return
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it along its seams"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_module_level_aliases_are_built_before_threads_share_them(path):
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            function = node.value.func
            name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
            assert name != "aliased", f"{_name(path)}, line {node.lineno}: use dla.db.shared_alias"
