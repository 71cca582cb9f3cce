"""``lablink-diagrams render`` and ``doctor``: emit every selected text, then render it in one batch.

Layout: ``out/{main|supplementary}/lablink-NAME.VIEW.BACKEND.{mmd,puml,dot,png,svg,pdf}``;
essential diagrams go to ``main/``.  Texts are rewritten only when they change,
so an unchanged run touches nothing and the cache answers every image.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

import click

from ..backends import BACKENDS
from ..compact import split_sequence_groups
from ..emit import emit, supported
from ..model import VIEWS, Diagram
from ..presets import DEFAULT_PRESET, PRESETS
from ..selection import selection
from ..show_refs import refs_transform, source_options
from . import legibility
from .doctor import doctor as run_doctor
from .engine import render as render_jobs
from .engine import summarise
from .jobs import FORMATS, RenderJob

FOLDERS = {"essential": "main", "supplementary": "supplementary"}


def output_stem(out_dir: Path, d: Diagram, view: str, backend: str) -> Path:
    """``out/main/lablink-crd-connection.sequence.mermaid`` (names are validated model names)."""
    return out_dir / FOLDERS[d.priority] / f"lablink-{d.name}.{view}.{backend}"


def plan(diagrams, backends, views, formats, preset, dpi, out_dir: Path, text_for=emit, fit: bool = True):
    """(text files to write, render jobs) for the selection; nothing is written here.

    ``diagrams``: each a Diagram, or a tuple of the parts of one split sequence
    (compact.split_sequence_groups), whose PNGs then print at one scale."""
    texts: dict[Path, str] = {}
    jobs: list[RenderJob] = []
    for group in diagrams:
        group = group if isinstance(group, tuple) else (group,)
        drawn: dict[tuple[str, str], list[tuple[Diagram, str]]] = {}
        for d in group:
            for view, backend in supported(d):
                if backend in backends and not (views and view not in views):
                    drawn.setdefault((view, backend), []).append((d, text_for(d, backend, view, preset)))
        for (view, backend), parts in drawn.items():
            together = _together(backend, view, [text for _, text in parts]) if len(parts) > 1 else ""
            for d, text in parts:
                stem = output_stem(out_dir, d, view, backend)
                texts[stem.with_name(f"{stem.name}.{BACKENDS[backend].extension}")] = text
                jobs.extend(RenderJob(backend, text, fmt, stem.with_name(f"{stem.name}.{fmt}"), preset, dpi, fit, together)
                            for fmt in formats)
    return texts, jobs


def _together(backend: str, view: str, texts: list[str]) -> str:
    """The name one split figure's parts share: a digest of every part's text."""
    return hashlib.sha256(json.dumps([backend, view, texts]).encode("utf-8")).hexdigest()[:16]


def write_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise click.BadParameter(f"{', '.join(bad) or value!r} (choose from: {', '.join(FORMATS)})")
    return chosen


@click.command("render")
@selection
@click.option("--backend", "-b", "backends", multiple=True, type=click.Choice(list(BACKENDS)),
              help="Repeatable; default: all three.")
@click.option("--view", "-v", "views", multiple=True, type=click.Choice(VIEWS), help="Repeatable; default: every view.")
@click.option("--format", "-f", "formats", default="png,svg,pdf", show_default=True, help="Comma-separated.")
@click.option("--preset", type=click.Choice(list(PRESETS)), default=DEFAULT_PRESET, show_default=True)
@click.option("--dpi", type=click.IntRange(36, 1200), default=300, show_default=True,
              help="PNG resolution on paper.")
@click.option("--natural-size", is_flag=True, help="PNG at the figure's own size, not shrunk to the preset's "
              "print area (paper 7x9 in, poster 10x14, presentation 12x6).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out", show_default=True)
@click.option("--force", is_flag=True, help="Render even what the cache says is up to date.")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=120, show_default=True,
              help="Seconds per renderer call.")
@click.option("--compact", is_flag=True, help="Fewer shapes for a paper column: numbered edges + key, "
              "one lifeline per innermost group.")
@click.option("--max-steps", type=click.IntRange(4, 500), default=None,
              help="Split a sequence view of more steps into parts of at most this many "
              "(NAME-part1, NAME-part2…; step numbers kept): a long sequence cannot be read on one page.")
@click.option("--no-title", "untitled", is_flag=True, help="Leave out the title and commit line "
              "(a paper figure's caption carries them).")
@source_options
def render(diagrams, backends, views, formats, preset, dpi, natural_size, out_dir, force, timeout, compact,
           max_steps, untitled, show_refs, lablink, template, wheels):
    """Render diagrams to PNG/SVG/PDF with the real tools, batched and cached."""
    transform = refs_transform(show_refs, lablink, template, wheels)
    diagrams = split_sequence_groups([transform(d) for d in diagrams], max_steps)
    texts, jobs = plan(diagrams, backends or tuple(BACKENDS), views, _formats(formats), preset, dpi, Path(out_dir),
                       text_for=lambda d, b, v, p: emit(d, b, v, p, compact, titled=not untitled), fit=not natural_size)
    if not jobs:
        raise click.UsageError("nothing to render: no selected diagram has that view/backend combination")
    try:
        for path, text in texts.items():
            write_if_changed(path, text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out_dir}: {exc.strerror or exc}") from None
    started = time.time()
    try:
        results = render_jobs(jobs, force=force, timeout=timeout)
    except KeyboardInterrupt:
        click.echo(interrupted_summary(jobs, started), err=True)
        raise
    click.echo(summarise(results), err=True)
    svgs = [r.job for r in results if r.ok and r.job.fmt == "svg"]
    print_size = legibility.summary([j.out for j in svgs], preset, {j.out: j.together for j in svgs})
    if print_size:
        click.echo(print_size, err=True)
    if not all(r.ok for r in results):
        sys.exit(1)


def interrupted_summary(jobs, started: float) -> str:
    """One line after Ctrl-C: what this run finished (kept, cached) and what is left."""
    done = 0
    for job in jobs:
        try:
            done += os.stat(job.out).st_mtime >= started - 1
        except OSError:
            pass
    return (f"interrupted: {done} of {len(jobs)} outputs rendered before Ctrl-C, kept and cached "
            "(images are written whole or not at all); run the same command again to render the rest")


@click.command("doctor")
def doctor():
    """Report each renderer: found or missing, version, and the command that installs it."""
    checks = run_doctor()
    for c in checks:
        state = "ok     " if c.found else "MISSING"
        click.echo(f"{state} {c.renderer:<14} {c.version or '-':<28} {'' if c.found else c.install_command}")
    if not all(c.found for c in checks):
        sys.exit(1)
