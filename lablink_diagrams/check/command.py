"""The ``check`` and ``drift`` click commands (the lead registers them on the main group).

``check`` exits 0 only when every checkable ref is found (and, for
``api-architecture``, every served route is modelled); 1 when something is
stale; 2 on bad input (path, revision, diagram name), always with a one-line
message and no traceback.
"""

from __future__ import annotations


import click

from .checker import check as run_check
from .drift import compare, format_drift, stale
from .findings import FORMATS, all_ok
from .sources import SourceError, Sources, open_repo, open_wheels


class BadInput(click.ClickException):
    """Bad path, revision or name: ``Error: <one line>`` on stderr, exit 2."""

    exit_code = 2


def _select(names, all_, essential, supplementary, models=(), default_all=True):
    """The same selection as every other command (names, --all..., --model FILE)."""
    from ..selection import select_diagrams

    return select_diagrams(names, all_, essential, supplementary, models, default_all=default_all)


def sources_for(lablink, template, wheels) -> Sources:
    if lablink and wheels:
        raise BadInput("give either --lablink or --lablink-wheels, not both")
    if not (lablink or template or wheels):
        raise BadInput("nothing to check against: give --lablink PATH[@REV], --template PATH[@REV] "
                               "or --lablink-wheels DIR")
    try:
        return Sources(
            lablink=open_wheels(wheels) if wheels else (open_repo("lablink", lablink) if lablink else None),
            template=open_repo("lablink-template", template) if template else None,
        )
    except SourceError as e:
        raise BadInput(str(e)) from None


_select_options = [
    click.argument("names", nargs=-1),
    click.option("--all", "all_", is_flag=True, help="All diagrams."),
    click.option("--all-essential", "essential", is_flag=True, help="All essential diagrams."),
    click.option("--all-supplementary", "supplementary", is_flag=True, help="All supplementary diagrams."),
    click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True),
]


def _with(options):
    def deco(f):
        for o in reversed(options):
            f = o(f)
        return f
    return deco


@click.command("check")
@_with(_select_options)
@click.option("--model", "models", multiple=True, type=click.Path(dir_okay=False),
              help="Also check a diagram model from a JSON file (repeatable).")
@click.option("--lablink", metavar="PATH[@REV]", help="lablink checkout, or git repo (bare ok) at REV.")
@click.option("--template", metavar="PATH[@REV]", help="lablink-template checkout, or git repo at REV.")
@click.option("--lablink-wheels", "wheels", metavar="DIR",
              help="Released wheels: .whl files, unpacked wheels or site-packages.")
@click.option("--failures-only", is_flag=True, help="Text format: list only refs that are not found.")
def check_command(names, all_, essential, supplementary, fmt, models, lablink, template, wheels, failures_only):
    """Check every code ref of the chosen diagrams against LabLink's source (default: all diagrams)."""
    sources = sources_for(lablink, template, wheels)
    diagrams = _select(names, all_, essential, supplementary, models)
    try:
        findings = run_check(diagrams, sources)
    finally:
        sources.close()
    if fmt == "text":
        out = FORMATS["text"](findings, verbose=not failures_only)
    else:
        out = FORMATS[fmt](findings)
    click.echo(out, nl=False)
    click.get_current_context().exit(0 if all_ok(findings) else 1)


@click.command("drift")
@_with(_select_options)
@click.option("--lablink", "repo_path", metavar="PATH", help="lablink git repository (bare ok).")
@click.option("--template", "template_path", metavar="PATH", help="lablink-template git repository instead.")
@click.option("--from", "rev_from", required=True, metavar="REV")
@click.option("--to", "rev_to", default="HEAD", show_default=True, metavar="REV")
@click.option("--shifted", is_flag=True, help="Also list refs that are still there but on another line.")
def drift_command(names, all_, essential, supplementary, fmt, repo_path, template_path, rev_from, rev_to, shifted):
    """Which diagrams went stale between two revisions, ref by ref (exit 1 when any is stale)."""
    if bool(repo_path) == bool(template_path):
        raise BadInput("give exactly one of --lablink PATH or --template PATH")
    repo, path = ("lablink", repo_path) if repo_path else ("lablink-template", template_path)
    diagrams = _select(names, all_, essential, supplementary)
    key = "lablink" if repo == "lablink" else "template"
    try:
        a = open_repo(repo, f"{path}@{rev_from}")
        b = open_repo(repo, f"{path}@{rev_to}")
    except SourceError as e:
        raise BadInput(str(e)) from None
    try:
        items = compare(diagrams, Sources(**{key: a}), Sources(**{key: b}), include_shifted=shifted)
    finally:
        a.close()
        b.close()
    click.echo(format_drift(items, diagrams, fmt), nl=False)
    click.get_current_context().exit(1 if stale(items) else 0)


check = check_command
drift = drift_command
