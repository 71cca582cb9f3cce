"""The shape the guide asks for, checked on the import graph: the model knows nothing of
syntax, a view nothing of backends, a backend nothing of LabLink, and child processes
start only in render/ (proc.py, doctor.py)."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "lablink_diagrams"
_PROCESS_CALLS = {"system", "popen", "execv", "execvp", "execve", "spawnv", "spawnl", "posix_spawn", "fork"}


def _module(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: pathlib.Path) -> set[str]:
    """Every module a file imports, relative imports resolved (``from . import x`` as ``pkg.x``)."""
    here = _module(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = (package[:len(package) - node.level + 1] if node.level else [])
            stem = ".".join(base + ([node.module] if node.module else []))
            out.add(stem)
            out |= {f"{stem}.{a.name}" for a in node.names}  # `from . import style` imports a module
    return out


def _files(sub: str = "") -> list[pathlib.Path]:
    return sorted((PACKAGE / sub).rglob("*.py")) if sub else sorted(PACKAGE.rglob("*.py"))


def _ours(names: set[str]) -> set[str]:
    return {n for n in names if n.startswith("lablink_diagrams.")}


def test_imports_resolve_relative_names():
    assert imports(PACKAGE / "render" / "dot_room.py") >= {"lablink_diagrams.render.dot_untangle",
                                                           "lablink_diagrams.render.dot_labels"}
    assert "lablink_diagrams.style" in imports(PACKAGE / "backends" / "base.py")


@pytest.mark.parametrize("layer, allowed", [
    ("model.py", set()),
    ("compact.py", {"lablink_diagrams.model"}),  # a model transform, under the views
    ("views", {"lablink_diagrams.model", "lablink_diagrams.compact", "lablink_diagrams.views"}),
    ("backends", {"lablink_diagrams.model", "lablink_diagrams.presets", "lablink_diagrams.style",
                  "lablink_diagrams.backends"}),
    ("mechanisms", {"lablink_diagrams.model", "lablink_diagrams.mechanisms"}),
])
def test_each_layer_imports_only_what_is_under_it(layer, allowed):
    files = [PACKAGE / layer] if layer.endswith(".py") else _files(layer)
    for path in files:
        wrong = {n for n in _ours(imports(path)) if not any(n == a or n.startswith(a + ".") for a in allowed)}
        assert not wrong, f"{path.relative_to(PACKAGE)} imports {sorted(wrong)}"


def test_child_processes_start_only_in_render():
    """subprocess is imported, and os.system/popen/exec… called, only under render/:
    check/sources.py runs git through render/proc.py (timeouts, Ctrl-C kills)."""
    for path in _files():
        if path.parent.name == "render" and path.parent.parent == PACKAGE:
            continue
        names = imports(path)
        calls = {n.attr for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "os"}
        assert "subprocess" not in names and not calls & _PROCESS_CALLS, path.relative_to(PACKAGE)
