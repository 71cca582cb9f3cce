"""The ``lablink-diagrams`` command line.

Every command that takes a set of diagrams takes it the same way (names,
``--all``, ``--all-essential``, ``--all-supplementary``, ``--model FILE``), and
every failure is one line on stderr with a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .backends import BACKENDS
from .emit import emit as emit_text
from .model import VIEWS, ModelError
from .presets import DEFAULT_PRESET, PRESETS
from .selection import select_diagrams, selection
from .show_refs import refs_transform, source_options

PROG = "lablink-diagrams"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lablink-diagrams", prog_name=PROG)
def cli():
    """LabLink's architecture as Mermaid, PlantUML and Graphviz from one model."""


@cli.command("list")
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True)
@click.option("--all-essential", "essential", is_flag=True)
@click.option("--all-supplementary", "supplementary", is_flag=True)
@click.option("--model", "model_files", multiple=True, type=click.Path(dir_okay=False))
def list_cmd(names, all_, essential, supplementary, model_files):
    """One line per diagram: name, priority, views (all diagrams by default)."""
    diagrams = select_diagrams(names, all_, essential, supplementary, model_files, default_all=True)
    width = max(len(d.name) for d in diagrams)
    for d in diagrams:
        click.echo(f"{d.name:<{width}}  {d.priority:<13}  {','.join(d.views)}")


@cli.command()
@selection
@click.option("--backend", "-b", type=click.Choice(list(BACKENDS)), default="mermaid", show_default=True)
@click.option("--view", "-v", type=click.Choice(VIEWS), default=None,
              help="Default: the diagram's first view.")
@click.option("--preset", type=click.Choice(list(PRESETS)), default=DEFAULT_PRESET, show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to FILE instead of stdout (one diagram).")
@click.option("--compact", is_flag=True, help="Fewer shapes for a paper column: numbered edges + key, "
              "one lifeline per innermost group.")
@click.option("--no-title", "untitled", is_flag=True, help="Leave out the title and commit line "
              "(a paper figure's caption carries them).")
@source_options
def emit(diagrams, backend, view, preset, output, compact, untitled, show_refs, lablink, template, wheels):
    """Print a diagram's text in one backend, ready to paste (e.g. into GitHub markdown)."""
    transform = refs_transform(show_refs, lablink, template, wheels)
    texts = [emit_text(transform(d), backend, view or d.views[0], preset, compact, titled=not untitled) for d in diagrams]
    if output:
        if len(texts) != 1:
            raise click.UsageError("-o takes one diagram; use 'render' for many")
        _write_atomic(Path(output), texts[0])
    else:
        click.echo("\n".join(texts), nl=False)


@cli.command("export-model")
@selection
def export_model(diagrams):
    """Print a diagram's model as JSON (edit it and pass it back with --model FILE)."""
    from .model_json import dumps

    for d in diagrams:
        click.echo(dumps(d), nl=False)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None


def _register_commands() -> None:
    """Commands that live beside their engines (docs, render/doctor, check/drift)."""
    from .check.command import check, drift
    from .docs_gen import docs
    from .render.command import doctor, render

    for name, cmd in (("docs", docs), ("render", render), ("doctor", doctor), ("check", check), ("drift", drift)):
        cli.add_command(cmd, name)


_register_commands()


def main(argv=None) -> int:
    """Entry point: click in non-standalone mode so every error is one line, never a traceback."""
    try:
        rv = cli.main(args=argv, prog_name=PROG, standalone_mode=False)
        return rv if isinstance(rv, int) else 0
    except click.exceptions.UsageError as exc:
        click.echo(f"{PROG}: error: {exc.format_message()}", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"{PROG}: error: {exc.format_message()}", err=True)
        return exc.exit_code
    except ModelError as exc:
        click.echo(f"{PROG}: error: {exc}", err=True)
        return 2
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo(f"{PROG}: interrupted", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug of ours: still one line, unless debugging
        if os.environ.get("LABLINK_DIAGRAMS_DEBUG"):
            raise
        click.echo(f"{PROG}: internal error: {type(exc).__name__}: {exc} (set LABLINK_DIAGRAMS_DEBUG=1 for details)", err=True)
        return 70


if __name__ == "__main__":
    sys.exit(main())
