"""What is installed for rendering, found cheaply (versions from files; only
`dot -V`, `java -version`, `rsvg-convert --version` and `mutool -v` are executed)."""
from __future__ import annotations

import subprocess
from typing import NamedTuple

from ..style import FONT
from .tools import INSTALL, Toolchain


class Check(NamedTuple):
    renderer: str
    found: bool
    version: str
    install_command: str


def _version(cmd: list[str]) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=20, text=True)
        text = (r.stdout + r.stderr).strip().splitlines()
        return text[0].strip() if text else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def _font(pattern: str) -> tuple[bool, str]:
    try:
        r = subprocess.run(["fc-list", pattern, "family"], capture_output=True, timeout=20, text=True)
        fams = sorted({l.split(",")[0].strip() for l in r.stdout.splitlines() if l.strip()})
        return bool(fams), ", ".join(fams[:3])
    except (OSError, subprocess.SubprocessError):
        return False, ""


def doctor(tools: Toolchain | None = None) -> list[Check]:
    t = tools or Toolchain.discover()
    checks = []
    mv, cv = t.npm_version("mermaid"), t.npm_version("@mermaid-js/mermaid-cli")
    ok = bool(mv) and t.mermaid_js.is_file() and bool(t.npm_version("puppeteer"))
    checks.append(Check("mermaid (mmdc)", ok, f"mermaid {mv}, mermaid-cli {cv}, puppeteer {t.npm_version('puppeteer')}" if ok else "",
                        INSTALL["mermaid"]))
    checks.append(Check("node", bool(t.node), _version([t.node, "--version"]) if t.node else "", INSTALL["node"]))
    checks.append(Check("chromium", bool(t.chromium),
                        _version([t.chromium, "--version"]) if t.chromium else "", INSTALL["chromium"]))
    checks.append(Check("java", bool(t.java), _version([t.java, "-version"]) if t.java else "", INSTALL["java"]))
    jar = t.plantuml_jar
    checks.append(Check("plantuml jar", t.jar_ok(), jar.name if t.jar_ok() else "", INSTALL["plantuml"]))
    checks.append(Check("dot (graphviz)", bool(t.dot), _version([t.dot, "-V"]) if t.dot else "", INSTALL["dot"]))
    checks.append(Check("rsvg-convert", bool(t.rsvg), _version([t.rsvg, "--version"]) if t.rsvg else "",
                        INSTALL["rsvg-convert"]))
    checks.append(Check("mutool (MuPDF)", bool(t.mutool), _version([t.mutool, "-v"]) if t.mutool else "",
                        INSTALL["mutool"]))
    # Without it every backend silently falls back to a wider font and the figures shrink.
    ok, fams = _font(FONT)
    checks.append(Check("fonts (text)", ok, FONT if ok else "", INSTALL["fonts-text"]))
    ok, fams = _font(":lang=ja")
    checks.append(Check("fonts (CJK)", ok, fams, INSTALL["fonts-cjk"]))
    ok, fams = _font(":charset=1f600")
    checks.append(Check("fonts (emoji)", ok and "Emoji" in fams, fams, INSTALL["fonts-emoji"]))
    return checks


def format_report(checks: list[Check]) -> str:
    lines = []
    for c in checks:
        mark = "ok     " if c.found else "MISSING"
        tail = c.version if c.found else f"install: {c.install_command}"
        lines.append(f"{mark} {c.renderer:<16} {tail}")
    return "\n".join(lines)

