"""The one way every command takes a set of diagrams: names, --all, --all-essential,
--all-supplementary, or --model FILE (shared by cli.py, render/ and check/)."""

from __future__ import annotations

import functools

import click

from . import mechanisms
from .model import Diagram, ModelError


class BadModel(click.ClickException):
    """A model file that cannot be used: one line, exit 2 (bad input), no usage text."""

    exit_code = 2


def selection(func):
    """Add the shared diagram-selection arguments; the command receives ``diagrams``."""

    @click.argument("names", nargs=-1)
    @click.option("--all", "all_", is_flag=True, help="Every diagram of the suite.")
    @click.option("--all-essential", "essential", is_flag=True, help="The paper's main-text diagrams.")
    @click.option("--all-supplementary", "supplementary", is_flag=True, help="The supplementary diagrams.")
    @click.option("--model", "model_files", multiple=True, type=click.Path(dir_okay=False),
                  help="A model JSON file (see export-model); may be repeated.")
    @functools.wraps(func)
    def wrapper(names, all_, essential, supplementary, model_files, **kwargs):
        diagrams = select_diagrams(names, all_, essential, supplementary, model_files)
        return func(diagrams=diagrams, **kwargs)

    return wrapper


def select_diagrams(names, all_=False, essential=False, supplementary=False, model_files=(),
                    default_all=False) -> list[Diagram]:
    from .model_json import load_diagram

    try:
        chosen = mechanisms.select(names, all_=all_ or (default_all and not (names or essential or supplementary or model_files)),
                                   essential=essential, supplementary=supplementary)
    except mechanisms.UnknownDiagram as exc:
        raise click.UsageError(str(exc)) from None
    try:
        chosen += [load_diagram(f) for f in model_files]
    except ModelError as exc:
        raise BadModel(str(exc)) from None
    if not chosen:
        raise click.UsageError("name a diagram, or use --all, --all-essential, --all-supplementary or --model FILE")
    return chosen
