"""Check the project's import graph: no cycles, no imports from a lower floor into a higher one, and no
function-level import in the library that defers nothing heavy (:func:`needless_lazy_imports`).

Every ``import`` statement counts, including the lazy ones inside functions (a lazy import still ties two
modules together; it only hides the loop from Python). Imports under ``if TYPE_CHECKING:`` do not count:
they serve annotations only and never run. Run ``python scripts/check_imports.py``: it prints
each problem and exits 1 if there is one. ``tests/test_architecture.py`` runs the same check under pytest.

Floors, lowest first (a module may import its own floor and the ones below, never one above):

0. ``embedlab.errors``, ``embedlab.linalg``, ``embedlab.progress``, ``embedlab.strings`` (numpy and the
   standard library only)
1. the rest of ``embedlab`` (the library; never streamlit)
2. ``embedlab.cli`` and ``embedlab.__main__`` (the command line; uses the library)
3. ``ui`` (Streamlit helpers shared by pages)
4. ``app_pages`` and ``app`` (the app)

Inside a floor the rule is only "no cycles", between modules and between packages: a package counts as
one node beside its sibling modules and packages (everything under ``embedlab/encoders/`` is
``embedlab.encoders``), so ``embedlab.encoders.image`` -> ``embedlab.images.io`` and
``embedlab.images.pipeline`` -> ``embedlab.encoders.base`` close a loop between the two packages even
though no two modules import each other.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("embedlab", "ui", "app_pages")
BOTTOM = ("embedlab.errors", "embedlab.linalg", "embedlab.progress", "embedlab.strings")
# third-party modules a floor must not import at all
FORBIDDEN = {1: ("streamlit",), 0: ("streamlit", "pandas", "torch", "plotly")}


def module_name(path: Path, root: Path = ROOT) -> str:
    """Dotted module name of a source file under ``root`` (``pkg/__init__.py`` → ``pkg``)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def floor(module: str) -> int:
    """The floor a project module lives on (see the module docstring)."""
    if module in BOTTOM:
        return 0
    if module in ("embedlab.cli", "embedlab.__main__") or module.startswith("embedlab.cli."):
        return 2
    top = module.split(".")[0]
    return {"embedlab": 1, "ui": 3, "app_pages": 4, "app": 4}[top]


def source_files(root: Path = ROOT) -> list[Path]:
    """Every Python file of the app and library (``app.py`` and the packages)."""
    files = [root / "app.py"] if (root / "app.py").exists() else []
    for pkg in PACKAGES:
        files += sorted((root / pkg).rglob("*.py"))
    return files


def _resolve(module: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    """Absolute name of a ``from ... import`` target, relative imports included."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_pkg else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (annotations only; never runs, so it ties no modules together)."""
    test = getattr(node, "test", None)
    name = getattr(test, "id", None) or getattr(test, "attr", None)
    return isinstance(node, ast.If) and name == "TYPE_CHECKING"


def _runtime_nodes(tree: ast.AST) -> Iterable[ast.AST]:
    """Every node of the tree except those under ``if TYPE_CHECKING:``."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        todo += [c for c in ast.iter_child_nodes(node) if not _is_type_checking(c)]


def imports_of(path: Path, known: set[str], root: Path = ROOT) -> list[tuple[str, int]]:
    """(imported name, line) for every import in a file; ``from pkg import mod`` resolves to ``pkg.mod``."""
    module = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, int]] = []
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path.name == "__init__.py", node)
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in known else target, node.lineno))
    return found


def graph(root: Path = ROOT) -> dict[str, dict[str, int]]:
    """Project module → {module it imports: first line}; a module importing its own package is skipped."""
    files = source_files(root)
    known = {module_name(f, root) for f in files}
    edges: dict[str, dict[str, int]] = {}
    for f in files:
        mod = module_name(f, root)
        out = edges.setdefault(mod, {})
        for name, line in imports_of(f, known, root):
            target = _owner(name, known)
            if target and target != mod and not _is_parent(target, mod):
                out.setdefault(target, line)
    return edges


def _owner(name: str, known: set[str]) -> str | None:
    """The project module an imported name belongs to (longest known prefix), or None for third-party."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        cand = ".".join(parts[:i])
        if cand in known:
            return cand
    return None


def _is_parent(pkg: str, mod: str) -> bool:
    """A module importing its own package (``embedlab.x`` → ``embedlab``) is not a dependency on the floor."""
    return mod.startswith(pkg + ".")


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _sibling_edge(src: str, dst: str, packages: set[str]) -> tuple[str, str] | None:
    """The two siblings an import ties together: the children of the deepest package holding both modules
    (``embedlab.encoders.image`` -> ``embedlab.images.io``: ``embedlab.encoders`` -> ``embedlab.images``);
    None when one module lies inside the other's package."""
    a, b = src.split("."), dst.split(".")
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    while common and ".".join(a[:common]) not in packages:  # the deepest *package* holding both
        common -= 1
    if common >= len(a) or common >= len(b):
        return None
    return ".".join(a[: common + 1]), ".".join(b[: common + 1])


def package_cycles(edges: dict[str, dict[str, int]], packages: set[str]) -> list[str]:
    """Loops between sibling packages (and modules beside them) that the module graph does not show.

    Each import ``x -> y`` becomes an edge between the children of the deepest package holding both
    (upward imports left out: they are reported as such); a loop of these edges with a package in it is
    reported with the imports that make it.
    """
    siblings: dict[str, dict[str, int]] = {}
    why: dict[tuple[str, str], list[str]] = {}
    for src, outs in edges.items():
        for dst, line in outs.items():
            if floor(dst) > floor(src):
                continue  # an upward import: reported as such, not again as the loop it closes
            pair = _sibling_edge(src, dst, packages)
            if pair:
                siblings.setdefault(pair[0], {}).setdefault(pair[1], line)
                why.setdefault(pair, []).append(f"{src} -> {dst} (line {line})")
    out = []
    for comp in cycles(siblings):
        if not set(comp) & packages:
            continue  # only modules: the module check reports the same loop
        inside = set(comp)
        ties = sorted(w for (x, y), ws in why.items() if x in inside and y in inside for w in ws)
        out.append(f"package import cycle: {' <-> '.join(comp)} ({'; '.join(ties)})")
    return out


def packages_of(root: Path = ROOT) -> set[str]:
    """Dotted names of the project's packages (folders with an ``__init__.py``)."""
    return {module_name(f, root) for f in source_files(root) if f.name == "__init__.py"}


def upward(edges: dict[str, dict[str, int]]) -> list[str]:
    """Imports from a lower floor into a higher one, as readable lines."""
    return [
        f"{src} (floor {floor(src)}) imports {dst} (floor {floor(dst)}) at line {line}"
        for src, outs in sorted(edges.items())
        for dst, line in sorted(outs.items())
        if floor(dst) > floor(src)
    ]


def forbidden(root: Path = ROOT) -> list[str]:
    """Third-party imports a floor must not make (streamlit in the library, heavy ones on floor 0)."""
    files = source_files(root)
    known = {module_name(f, root) for f in files}
    bad = []
    for f in files:
        mod = module_name(f, root)
        banned = FORBIDDEN.get(floor(mod), ())
        for name, line in imports_of(f, known, root):
            if name.split(".")[0] in banned:
                bad.append(f"{mod} imports {name} at line {line} (not allowed on floor {floor(mod)})")
    return bad


# What a function-level import may defer: any third-party package but numpy (they cost from a tenth of a
# second to seconds to import, or are optional), and project modules that import one at module level. The
# standard library and numpy are imported at module level; so are light project modules. The package's
# own ``embedlab/__init__.py`` stays minimal (every ``import embedlab.x`` runs it), and platform modules
# and optional packages (``try: import x except ImportError``) are imported where they are used.
LIGHT_THIRD_PARTY = ("numpy",)
PLATFORM_ONLY = ("fcntl", "msvcrt", "winreg", "_winapi")
MINIMAL_INITS = ("embedlab",)
LAZY_FOR_NOW = ("embedlab.cli",)  # the command modules import their library pieces lazily (next change)


def _third_party(name: str) -> bool:
    top = name.split(".")[0]
    return top not in sys.stdlib_module_names and top not in LIGHT_THIRD_PARTY and top not in PACKAGES


def _function_imports(tree: ast.AST) -> Iterable[tuple[ast.AST, bool]]:
    """(import node, inside ``try: ... except ImportError``) for every import inside a function."""
    def walk(node: ast.AST, in_func: bool, optional: bool) -> Iterable[tuple[ast.AST, bool]]:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)) and in_func:
                yield child, optional
                continue
            guarded = optional or (isinstance(child, ast.Try) and any(
                h.type is not None and "ImportError" in ast.unparse(h.type) for h in child.handlers))
            yield from walk(child, in_func or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                 ast.Lambda)), guarded)
    yield from walk(tree, False, False)


def _module_level(path: Path, known: set[str], root: Path) -> tuple[set[str], set[str]]:
    """(project modules, third-party modules) a file imports at module level (``if`` and ``try`` blocks
    included, functions and ``TYPE_CHECKING`` left out)."""
    module = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    project: set[str] = set()
    third: set[str] = set()
    todo = list(ast.iter_child_nodes(tree))
    while todo:
        node = todo.pop()
        if _is_type_checking(node) or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                                          ast.Lambda)):
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path.name == "__init__.py", node)
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target for a in node.names]
        for name in names:
            owner = _owner(name, known)
            if owner:
                project.add(owner)
            elif _third_party(name):
                third.add(name)
        todo += list(ast.iter_child_nodes(node))
    return project, third


def heavy_packages(root: Path = ROOT) -> dict[str, set[str]]:
    """Project module → the third-party packages (but numpy) importing it loads: its own module-level
    imports, those of the project modules it imports at module level, and its packages' ``__init__``."""
    files = source_files(root)
    known = {module_name(f, root) for f in files}
    direct = {module_name(f, root): _module_level(f, known, root) for f in files}
    memo: dict[str, set[str]] = {}

    def heavy(mod: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if mod in memo:
            return memo[mod]
        project, third = direct.get(mod, (set(), set()))
        parents = {".".join(mod.split(".")[:i]) for i in range(1, mod.count(".") + 1)} & known
        out = {t.split(".")[0] for t in third}
        for dep in (project | parents) - seen - {mod}:
            out |= heavy(dep, seen | {mod})
        if not seen:
            memo[mod] = out
        return out

    return {mod: heavy(mod) for mod in known}


def needless_lazy_imports(root: Path = ROOT) -> list[str]:
    """Function-level imports that defer nothing heavy (see :data:`LIGHT_THIRD_PARTY`): each could be a
    module-level import, and should be."""
    files = [f for f in source_files(root) if module_name(f, root).startswith("embedlab")]
    known = {module_name(f, root) for f in source_files(root)}
    heavy = heavy_packages(root)
    out = []
    for f in files:
        mod = module_name(f, root)
        if mod in MINIMAL_INITS or mod.startswith(LAZY_FOR_NOW):
            continue
        own_third = _module_level(f, known, root)[1]
        tree = ast.parse(f.read_text(encoding="utf-8"), filename=str(f))
        for node, optional in _function_imports(tree):
            if optional:
                continue
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                target = _resolve(mod, f.name == "__init__.py", node)
                names = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target
                         for a in node.names]
            deferred = []
            for name in names:
                owner = _owner(name, known)
                if owner:
                    deferred += sorted(heavy[owner] - heavy[mod])
                elif name.split(".")[0] in PLATFORM_ONLY:
                    deferred.append(name)
                elif _third_party(name) and name not in own_third:
                    deferred.append(name)
            if not deferred:
                out.append(f"{mod} line {node.lineno}: `{ast.unparse(node)}` inside a function defers "
                           "nothing heavy; import it at module level")
    return out


def problems(root: Path = ROOT) -> list[str]:
    """Every violation found, one line each (empty list: the graph is clean)."""
    edges = graph(root)
    out = [f"import cycle: {' <-> '.join(c)}" for c in cycles(edges)]
    return out + package_cycles(edges, packages_of(root)) + upward(edges) + forbidden(root)


def main(argv: Iterable[str] | None = None) -> int:
    found = problems() + needless_lazy_imports()
    for line in found:
        print(line)
    ok = "import graph: no cycles, no upward imports, no needless lazy imports"
    print(f"{len(found)} problem(s) in the import graph" if found else ok)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
