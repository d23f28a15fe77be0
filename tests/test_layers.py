"""The package's architecture, checked from the source: layers and no import cycles.

Every module under ``src/utvardering`` is parsed (nothing is imported, so the test takes well
under a second). Two rules:

1. **No cycles.** No two modules import each other, directly or through a longer chain.
2. **Layers.** :data:`LAYERS` lists the package's top-level modules and subpackages from the
   lowest layer up. A module may import modules of its own package (``batch.run`` imports
   ``batch.jobs``) and of lower layers; the packages of one layer are independent of each
   other (``maturity`` does not import ``effects``).

Only the imports that run when a module is imported count: module level, class bodies,
``if``/``try`` blocks (``if TYPE_CHECKING`` too: a type is a dependency). Imports inside
functions are left out of these two rules; a third test allows them for the package's own
modules only where :data:`LAZY` says why (third-party libraries are imported in functions
where that keeps the command line's start fast).

How an import counts: ``import utvardering.x.y`` and ``from utvardering.x import y`` (with
``y`` a module) import the module ``utvardering.x.y``; ``from utvardering.x import name``
imports the package ``utvardering.x`` itself, that is its ``__init__``. That Python runs the
parent packages' ``__init__`` first is not counted as an import of them: otherwise every
package whose ``__init__`` re-exports its modules would be a cycle. A module that imports
its own package's ``__init__`` is a cycle, rightly, when that ``__init__`` imports it.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "utvardering"

# The layers, lowest first. ``__init__`` is the package's own ``__init__.py`` (its version).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "status", "format", "vocabulary", "defaults", "versions"),
    ("__init__",),
    ("readers", "schemas", "results", "tables", "figures", "funding"),
    ("models", "validate", "exempeldata"),
    ("dataset",),
    ("origin",),
    ("protocol",),
    ("maturity", "portfolio", "effects"),
    # The goal chain reads project outcomes by the effect report's attainment rules.
    ("goals",),
    ("synthesis",),
    # The region summary reads the run's result files, as the synthesis does, and the
    # learning plan builds on the summary's facts and recommendations.
    ("summary",),
    ("learning",),
    ("registry",),
    ("kernel",),
    ("execute", "kernel_launcher", "kernel_template"),
    ("batch",),
    ("publish",),
    ("cli",),
    ("__main__",),
)


@dataclass(frozen=True)
class Import:
    """One module-level import of a module of the package: who, whom, where."""

    importer: str
    target: str
    path: Path
    line: int

    def where(self, root: Path) -> str:
        try:
            shown = self.path.relative_to(root.parent)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"


def module_names(package_dir: Path, package: str) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``'s file)."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join((package, *parts))] = path
    return modules


def _import_nodes(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports that run when the module is imported (not those inside functions)."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        else:
            stack.extend(ast.iter_child_nodes(node))


def _existing(name: str, modules: dict[str, Path]) -> str | None:
    """``name`` or its nearest parent that is a module of the package."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def module_imports(package_dir: Path, package: str) -> list[Import]:
    """Every module-level import of one module of the package by another (or itself)."""
    modules = module_names(package_dir, package)
    found = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _import_nodes(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    parts = name.split(".") if is_package else name.split(".")[:-1]
                    parts = parts[: len(parts) - (node.level - 1)]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                else:
                    base = node.module or ""
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in modules else base)
            for target in targets:
                if target != package and not target.startswith(package + "."):
                    continue
                resolved = _existing(target, modules)
                if resolved is not None:
                    found.append(Import(name, resolved, path, node.lineno))
    return found


def _component(module: str, package: str) -> str:
    """The top-level module or subpackage a module belongs to (``__init__`` for the root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer_problems(
    imports: Sequence[Import], package: str, layers: Sequence[Sequence[str]], root: Path
) -> list[str]:
    """A message for each import of a higher layer, or of another package of the same layer,
    and for each module whose package has no layer."""
    level = {component: n for n, layer in enumerate(layers) for component in layer}
    problems = []
    unplaced = set()
    for imp in imports:
        mine = _component(imp.importer, package)
        theirs = _component(imp.target, package)
        for component in (mine, theirs):
            if component not in level and component not in unplaced:
                unplaced.add(component)
                problems.append(
                    f"{imp.where(root)}: {package}.{component} is in no layer; add it to "
                    "LAYERS in tests/test_layers.py"
                )
        if mine == theirs or mine not in level or theirs not in level:
            continue
        if level[theirs] >= level[mine]:
            how = "the same layer" if level[theirs] == level[mine] else "a higher layer"
            problems.append(
                f"{imp.where(root)}: {imp.importer} (layer {level[mine]}: {mine}) imports "
                f"{imp.target} (layer {level[theirs]}: {theirs}), {how}"
            )
    return problems


def cycle_problems(imports: Sequence[Import], root: Path) -> list[str]:
    """A message for each group of modules that import each other (a strongly connected
    component of the import graph, or a module that imports itself), with one cycle in it
    spelled out import by import."""
    edges: dict[str, dict[str, Import]] = {}
    for imp in imports:
        edges.setdefault(imp.importer, {}).setdefault(imp.target, imp)
        edges.setdefault(imp.target, {})
    problems = []
    for group in sorted(_strongly_connected(edges), key=min):
        start = min(group)
        if len(group) == 1 and start not in edges[start]:
            continue
        cycle = _shortest_cycle(start, edges, group)
        steps = "; ".join(
            f"{edges[a][b].where(root)} {a} imports {b}" for a, b in itertools.pairwise(cycle)
        )
        others = sorted(set(group) - set(cycle))
        also = f" (in the same knot: {', '.join(others)})" if others else ""
        problems.append(f"import cycle {' -> '.join(cycle)}: {steps}{also}")
    return problems


def _strongly_connected(edges: dict[str, dict[str, Import]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
    return groups


def _shortest_cycle(start: str, edges: dict[str, dict[str, Import]], group: list[str]) -> list:
    """The shortest path from ``start`` back to itself within ``group`` (breadth first)."""
    members = set(group)
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(edges[node]):
            if child not in members:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return [start]


def function_imports(package_dir: Path, package: str) -> list[Import]:
    """The imports of the package's modules made inside functions (hidden from the rules
    above, so they are allowed only where :data:`LAZY` says why)."""
    modules = module_names(package_dir, package)
    found = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions = [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        for function in functions:
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    targets = [node.module or ""]
                elif isinstance(node, ast.ImportFrom):
                    targets = [package]  # a relative import is always of the package
                else:
                    continue
                for target in targets:
                    if target == package or target.startswith(package + "."):
                        found.append(Import(name, target, path, node.lineno))
    return sorted(set(found), key=lambda i: (str(i.path), i.line))


def check_architecture(
    package_dir: Path, package: str, layers: Sequence[Sequence[str]]
) -> list[str]:
    """Every breach of the two rules in the package at ``package_dir``, as messages."""
    imports = module_imports(package_dir, package)
    return cycle_problems(imports, package_dir) + layer_problems(
        imports, package, layers, package_dir
    )


# --- the package -----------------------------------------------------------------------------

# Imports of the package's own modules inside functions, each with its reason: publishing
# loads every report package (and matplotlib and statsmodels), which the command line must
# not do to start.
LAZY = {
    ("utvardering.cli", "utvardering.publish"),
    ("utvardering.cli", "utvardering.publish.serve"),
    # The data layer and the report protocol load pandas. `kor` with nothing to do reads its
    # reports from the output folder's cache (batch.reportcache) and its validated inputs from
    # theirs, and must not load pandas to find that out; these are loaded where data is read
    # or reports are found.
    ("utvardering.cli", "utvardering.dataset"),
    ("utvardering.origin", "utvardering.dataset"),
    ("utvardering.origin", "utvardering.models"),
    ("utvardering.registry", "utvardering.protocol"),
    ("utvardering.batch.discover", "utvardering.protocol"),
    ("utvardering.batch.discover", "utvardering.dataset"),
    ("utvardering.batch.run", "utvardering.dataset"),
}


def test_no_import_cycles():
    imports = module_imports(SRC / PACKAGE, PACKAGE)
    problems = cycle_problems(imports, SRC / PACKAGE)
    assert not problems, "Modules that import each other:\n" + "\n".join(problems)


def test_no_module_imports_a_higher_layer():
    imports = module_imports(SRC / PACKAGE, PACKAGE)
    problems = layer_problems(imports, PACKAGE, LAYERS, SRC / PACKAGE)
    assert not problems, (
        "Imports against the layers (lowest first: "
        + " < ".join("[" + ", ".join(layer) + "]" for layer in LAYERS)
        + "):\n"
        + "\n".join(problems)
    )


def test_modules_of_the_package_are_imported_at_the_top():
    found = function_imports(SRC / PACKAGE, PACKAGE)
    hidden = [i for i in found if (i.importer, i.target) not in LAZY]
    assert not hidden, (
        "Imports of the package's modules inside functions (import them at the top; an "
        "import cycle is broken by moving code, not by hiding the import):\n"
        + "\n".join(f"{i.where(SRC / PACKAGE)}: {i.importer} imports {i.target}" for i in hidden)
    )


def test_every_layer_names_a_module():
    present = {_component(m, PACKAGE) for m in module_names(SRC / PACKAGE, PACKAGE)}
    listed = [c for layer in LAYERS for c in layer]
    assert len(listed) == len(set(listed)), "a package is in two layers"
    assert set(listed) <= present, f"LAYERS names what is not there: {set(listed) - present}"


# --- the checker itself, on small planted trees ----------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    package_dir = root / "pkg"
    for name, text in files.items():
        path = package_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package_dir


FAKE_LAYERS = (("low",), ("mid_a", "mid_b"), ("high",))


def test_a_clean_tree_passes(tmp_path):
    package_dir = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "low.py": "import json\n",
            # a package whose __init__ re-exports its modules, which import each other's
            # modules and the lower layer: no cycle, no breach
            "mid_a/__init__.py": "from pkg.mid_a.one import f\nfrom pkg.mid_a.two import g\n",
            "mid_a/one.py": "from pkg.mid_a.two import g\nfrom pkg import low\n",
            "mid_a/two.py": "from . import three\nfrom pkg.low import x\n",
            "mid_a/three.py": "",
            "mid_b.py": "from pkg.low import x\n",
            # an import inside a function does not count
            "high.py": "import pkg.mid_a\nfrom pkg.mid_b import y\n\ndef f():\n"
            "    from pkg.high import z\n",
        },
    )
    assert check_architecture(package_dir, "pkg", (("__init__",), *FAKE_LAYERS)) == []


def test_a_planted_import_of_a_higher_layer_fails(tmp_path):
    package_dir = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "low.py": "import json\n\nif True:\n    from pkg.high import thing\n",
            "mid_a.py": "",
            "mid_b.py": "from pkg import mid_a\n",
            "high.py": "",
        },
    )
    problems = check_architecture(package_dir, "pkg", (("__init__",), *FAKE_LAYERS))
    assert len(problems) == 2, problems
    assert problems[0] == (
        "pkg/low.py:4: pkg.low (layer 1: low) imports pkg.high (layer 3: high), a higher layer"
    )
    assert problems[1] == (
        "pkg/mid_b.py:1: pkg.mid_b (layer 2: mid_b) imports pkg.mid_a (layer 2: mid_a), "
        "the same layer"
    )


def test_a_planted_cycle_fails(tmp_path):
    package_dir = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "low.py": "",
            "mid_a/__init__.py": "from pkg.mid_a.report import build\n",
            # the module imports its own package's __init__, which imports it
            "mid_a/report.py": "from pkg.mid_a import helper\n",
            "mid_a/helper.py": "",
            "mid_b/__init__.py": "",
            "mid_b/one.py": "from pkg.mid_b.two import f\n",
            "mid_b/two.py": "from pkg.mid_b import three\n",
            "mid_b/three.py": "from pkg.mid_b import one\n",
            "high.py": "",
        },
    )
    problems = check_architecture(package_dir, "pkg", (("__init__",), *FAKE_LAYERS))
    # ``from pkg.mid_a import helper`` names a module, so it is no cycle; change it to a name
    assert problems == [
        "import cycle pkg.mid_b.one -> pkg.mid_b.two -> pkg.mid_b.three -> pkg.mid_b.one: "
        "pkg/mid_b/one.py:1 pkg.mid_b.one imports pkg.mid_b.two; pkg/mid_b/two.py:1 "
        "pkg.mid_b.two imports pkg.mid_b.three; pkg/mid_b/three.py:1 pkg.mid_b.three "
        "imports pkg.mid_b.one"
    ]
    (package_dir / "mid_a" / "report.py").write_text("from pkg.mid_a import VALUE\n")
    problems = check_architecture(package_dir, "pkg", (("__init__",), *FAKE_LAYERS))
    assert problems[0] == (
        "import cycle pkg.mid_a -> pkg.mid_a.report -> pkg.mid_a: pkg/mid_a/__init__.py:1 "
        "pkg.mid_a imports pkg.mid_a.report; pkg/mid_a/report.py:1 pkg.mid_a.report imports "
        "pkg.mid_a"
    )
    assert len(problems) == 2


def test_an_import_inside_a_function_is_found(tmp_path):
    package_dir = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "low.py": "import json\n\n\nclass A:\n    def f(self):\n"
            "        import pkg.high\n        from . import mid_a\n        import yaml\n",
        },
    )
    found = function_imports(package_dir, "pkg")
    assert [(i.importer, i.target, i.line) for i in found] == [
        ("pkg.low", "pkg.high", 6),
        ("pkg.low", "pkg", 7),
    ]


def test_a_package_in_no_layer_fails(tmp_path):
    package_dir = _tree(
        tmp_path, {"__init__.py": "", "low.py": "", "new.py": "from pkg.low import x\n"}
    )
    problems = check_architecture(package_dir, "pkg", (("__init__",), *FAKE_LAYERS))
    assert problems == [
        "pkg/new.py:1: pkg.new is in no layer; add it to LAYERS in tests/test_layers.py"
    ]


@pytest.mark.parametrize("self_import", ["import pkg.low\n", "from . import low\n"])
def test_a_module_that_imports_itself_is_a_cycle(tmp_path, self_import):
    package_dir = _tree(tmp_path, {"__init__.py": "", "low.py": self_import})
    problems = check_architecture(package_dir, "pkg", (("__init__",), *FAKE_LAYERS))
    assert problems == ["import cycle pkg.low -> pkg.low: pkg/low.py:1 pkg.low imports pkg.low"]
