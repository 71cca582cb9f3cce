"""Docs generated from the same models as the diagrams, so the two can never disagree.

``docs/mechanisms.md`` is the analysis document (purpose, components, numbered
steps with code refs); ``docs/diagrams.md`` is a gallery of every Mermaid view
in fenced blocks that GitHub renders as is.  A test regenerates both and fails
when the committed copies are stale.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import click
import jinja2

from . import mechanisms
from .emit import emit
from .model import CodeRef, Diagram

DOCS = ("mechanisms.md", "diagrams.md")


def md(text: str) -> str:
    """Markdown table-cell text: one line, pipes and markup characters escaped.

    >>> md("a|b *c* <x>\\nnext")
    'a\\\\|b \\\\*c\\\\* &lt;x&gt; next'
    """
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)


def code(text: str) -> str:
    """Inline code that survives any backticks inside."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def refs(items: tuple[CodeRef, ...]) -> str:
    return "<br>".join(f"{code(r.path)} {code(r.symbol)}" + ("" if r.repo == "lablink" else f" ({md(r.repo)})")
                       for r in items) or "—"


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("lablink_diagrams", "templates/docs"),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, autoescape=False)
    env.filters.update(md=md, code=code, refs=refs)
    env.globals.update(emit=emit)
    return env


def render_docs(diagrams: list[Diagram]) -> dict[str, str]:
    """The generated pages, by file name."""
    return {name: _env().get_template(f"{name}.j2").render(diagrams=diagrams).rstrip("\n") + "\n"
            for name in DOCS}


def write_docs(folder: Path, diagrams: list[Diagram] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_docs(diagrams or mechanisms.select(all_=True)).items():
        path = folder / name
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written


@click.command("docs")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="docs", show_default=True)
def docs(out_dir):
    """Regenerate docs/mechanisms.md and docs/diagrams.md from the models."""
    try:
        for path in write_docs(Path(out_dir)):
            click.echo(f"wrote {path}")
    except OSError as exc:
        raise click.ClickException(f"cannot write {out_dir}: {exc.strerror or exc}") from None
