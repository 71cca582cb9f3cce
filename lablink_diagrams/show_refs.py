"""``--show-refs``: put each step's code reference on its label, resolved at a source when given.

The model never stores line numbers; this makes a *copy* of a diagram whose
step labels end with ``[file:line]`` read from a LabLink checkout, git revision
or wheel, or ``[file:symbol]`` without one.  The views and backends then draw
it like any other label (escaped like any other label).
"""

from __future__ import annotations

import dataclasses
import posixpath

import click

from .model import CodeRef, Diagram


def source_options(func):
    """The shared ``--show-refs`` + source options of ``emit`` and ``render``."""
    for option in reversed((
        click.option("--show-refs", is_flag=True, help="Append each step's code ref (file:line with a source)."),
        click.option("--lablink", metavar="PATH[@REV]", help="lablink checkout or git repo at REV, for --show-refs."),
        click.option("--template", metavar="PATH[@REV]", help="lablink-template checkout or git repo at REV."),
        click.option("--lablink-wheels", "wheels", metavar="DIR", help="Released wheels, for --show-refs."),
    )):
        func = option(func)
    return func


def refs_transform(show_refs: bool, lablink, template, wheels):
    """A function diagram → diagram for the chosen options (identity without --show-refs)."""
    if not show_refs:
        if lablink or template or wheels:
            raise click.UsageError("--lablink/--template/--lablink-wheels here only make sense with --show-refs")
        return lambda d: d
    sources = None
    if lablink or template or wheels:
        from .check.command import sources_for

        sources = sources_for(lablink, template, wheels)
    return lambda d: with_refs(d, sources)


def where(ref: CodeRef, sources=None) -> str:
    """``main.py:313`` at a source, ``main.py:submit_vm_details`` without one.

    >>> where(CodeRef("lablink", "packages/client/start.sh", "subscribe"))
    'start.sh:subscribe'
    """
    name = posixpath.basename(ref.path)
    if sources is None:
        return f"{name}:{ref.symbol}"
    from .check.checker import resolve_line

    found = resolve_line(ref, sources)
    return f"{posixpath.basename(found[0])}:{found[1]}" if found else f"{name}:{ref.symbol} (not found)"


def with_refs(diagram: Diagram, sources=None) -> Diagram:
    """The diagram with ``[file:line]`` (or ``[file:symbol]``) under every cited step label."""
    steps = tuple(
        dataclasses.replace(s, label=f"{s.label}\n[{where(s.refs[0], sources)}]") if s.refs else s
        for s in diagram.steps
    )
    return dataclasses.replace(diagram, steps=steps)
