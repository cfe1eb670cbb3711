"""The architecture stays one-way (docs/architecture.md, "Layers").

* every import between the layers below points down (grimp's layers contract): a module
  may import only from its own layer's package or from layers below it;
* modules of one row are independent of each other;
* there is no import cycle between any two modules of `auditor`, `checks` and `templates`;
* no module of ours imports one of ours inside a function (the way cycles used to be dodged);
* no module under auditor/ or checks/ is longer than 600 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
OWN = ("auditor", "checks", "templates")

#: top to bottom; the modules of one row do not import each other
LAYERS: list[tuple[str, ...]] = [
    ("auditor.__main__",),
    ("auditor.cli",),
    ("auditor.catalogue", "auditor.samples"),
    ("auditor.write",),
    ("auditor.reports",),
    ("auditor.steekproef",),
    ("auditor.output",),
    ("auditor.rechtmatigheid", "auditor.budgetconfirmatie", "auditor.uitnutting"),
    ("auditor.pipeline", "auditor.beoordeling"),
    ("auditor.werkruimte",),
    ("auditor.zaken",),
    ("auditor.audit",),
    ("auditor.opschorting", "checks"),
    ("auditor.engine",),
    ("auditor.validate", "auditor.regeling", "auditor.identity"),
    ("auditor.voorstel",),
    ("auditor.load",),
    ("auditor.kolommen", "auditor.werkmap"),
    ("auditor.findings",),
    ("auditor.formatting", "auditor.files", "auditor.registry", "auditor.tables", "auditor.privacy",
     "auditor.errors"),
    ("auditor.money",),
]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*OWN)


def _describe(illegal) -> str:
    out = []
    for dep in illegal:
        for route in dep.routes:
            chain = " -> ".join((*route.heads, *route.middle, *route.tails)) if route.middle else \
                f"{sorted(route.heads)} -> {sorted(route.tails)}"
            out.append(f"{dep.importer} imports {dep.imported} ({chain})")
    return "\n".join(out)


def test_every_module_is_in_a_layer(graph):
    placed = [m for row in LAYERS for m in row]
    for mod in graph.modules:
        if mod in OWN or not mod.startswith("auditor."):
            continue
        assert any(mod == p or mod.startswith(p + ".") for p in placed), f"{mod} is in no layer of tests/test_layers.py"


def test_layers_point_down(graph):
    layers = [grimp.Layer(*row, independent=True) for row in LAYERS]
    illegal = graph.find_illegal_dependencies_for_layers(layers=layers)
    assert not illegal, "upward (or sideways) imports:\n" + _describe(illegal)


def test_no_import_cycles(graph):
    """Tarjan's strongly connected components over the module graph: none larger than one."""
    mods = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in mods}
    index, low, stack, on, cycles = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            # a package's __init__ importing its own submodules is not a cycle of layers
            if len(comp) > 1:
                cycles.append(sorted(comp))

    import sys
    sys.setrecursionlimit(10_000)
    for m in mods:
        if m not in index:
            strong(m)
    # `checks/__init__` imports its check modules, which import `checks._norm`, not `checks`
    assert not cycles, f"import cycles: {cycles}"


def _own_files():
    for pkg in ("auditor", "checks"):
        yield from sorted((ROOT / pkg).rglob("*.py"))


def test_no_import_of_our_own_inside_a_function():
    bad = []
    for path in _own_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Import):
                        names = [a.name for a in sub.names]
                    elif isinstance(sub, ast.ImportFrom):
                        names = [sub.module or ""] if sub.level == 0 else ["."]
                    else:
                        continue
                    if any(n == "." or n.split(".")[0] in OWN for n in names):
                        bad.append(f"{path.relative_to(ROOT)}:{sub.lineno}")
    assert not bad, "imports inside functions: " + ", ".join(bad)


def test_no_import_error_shims():
    bad = [str(p.relative_to(ROOT)) for p in _own_files() if "except ImportError" in p.read_text(encoding="utf-8")]
    assert not bad, f"ImportError shims in {bad}"


def test_no_module_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in _own_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert not long, f"modules over 600 lines: {long}"
