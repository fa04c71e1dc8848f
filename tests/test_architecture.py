"""Imports run one way: each package imports only the packages the architecture puts below it.

The rule is the table "Which package may import which" in docs/architecture.md; this test
reads it from there, so the picture and the check cannot drift apart. Every import counts,
at the top of a module or inside a function: a lazy import still ties the packages.
"""

import ast
import re
from graphlib import TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# The app factory registers every package's blueprint: the one place the foundation
# imports what stands on it.
FACTORY = (Path("portal/__init__.py"), "register_blueprints")
TABLE_ROW = re.compile(r"^\|\s*`([a-z.]+)`\s*\|\s*([^|]*)\|")


def allowed_imports() -> dict[str, set[str]]:
    """{package: packages it may import}, from the table in docs/architecture.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    table = text.split("## Which package may import which", 1)[1].split("\n## ", 1)[0]
    rules = {}
    for line in table.splitlines():
        match = TABLE_ROW.match(line)
        if match:
            rules[match[1]] = set(re.findall(r"`([a-z.]+)`", match[2]))
    return rules


RULES = allowed_imports()


def package_of(module: str) -> str | None:
    """The package of the table a dotted module name belongs to (the longest that fits)."""
    parts = module.split(".")
    fitting = [name for name in RULES if parts[: len(name.split("."))] == name.split(".")]
    return max(fitting, key=len, default=None)


def imported_modules(tree: ast.AST, path: Path):
    """(line, module) for every import in the file, outside the app factory's registration."""
    skip = set()
    if path == FACTORY[0]:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == FACTORY[1]:
                skip = {id(inner) for inner in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            # "from moderation import cases" imports the subpackage moderation.cases.
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def upward_imports() -> list[str]:
    """Every import the table forbids, as "file:line imports package (what it may import)"."""
    found = []
    for package in RULES:
        folder = ROOT / package.replace(".", "/")
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(ROOT)
            own = package_of(".".join(relative.with_suffix("").parts))
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for line, module in imported_modules(tree, relative):
                target = package_of(module)
                if target and target != own and target not in RULES[own]:
                    may = ", ".join(sorted(RULES[own])) or "no other package"
                    found.append(f"{relative}:{line} imports {target} ({own} may import: {may})")
    return sorted(set(found))


def test_the_table_names_every_package_and_has_no_cycle():
    assert set(RULES) == {
        "portal",
        "community",
        "kb",
        "search",
        "moderation",
        "moderation.cases",
        "proactive",
        "dashboard",
        "transfer",
        "api",
    }
    assert RULES["portal"] == set()
    # "Lower" must mean something: following "may import" never leads back to the start.
    list(TopologicalSorter(RULES).static_order())  # raises CycleError otherwise


def test_no_package_imports_one_above_it():
    assert upward_imports() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from search import service\n", "imports search"),
        ("def later():\n    from dashboard import metrics\n", "imports dashboard"),
        ("import moderation.cases.models\n", "imports moderation.cases"),
        ("from moderation import cases\n", "imports moderation.cases"),
    ],
)
def test_an_upward_import_is_reported(tmp_path, monkeypatch, source, expected):
    """The check itself can fail: a module of kb that imports upward is caught."""
    shadow = tmp_path / "kb"
    shadow.mkdir()
    (shadow / "probe.py").write_text(source, encoding="utf-8")
    for package in RULES:
        if package != "kb" and "." not in package:
            (tmp_path / package).mkdir()
    (tmp_path / "moderation" / "cases").mkdir()
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    problems = upward_imports()
    assert problems and all(problem.startswith("kb/probe.py:") for problem in problems)
    assert any(expected in problem for problem in problems)
