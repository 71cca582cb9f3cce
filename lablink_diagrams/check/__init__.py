"""Check the diagrams' code refs against LabLink's real source, and report drift.

Public API::

    from lablink_diagrams.check import check, resolve_line, drift, Finding, Sources, open_repo, open_wheels

Sources: a checkout (``open_repo(repo, PATH)``), a git revision read without a
checkout (``open_repo(repo, "PATH@REV")``), or released wheels
(``open_wheels(DIR)``).  The ref grammar is in ``mechanisms/_common.py``.
"""

from .checker import check, check_refs, diagram_refs, resolve_line
from .drift import DriftItem, compare, drift
from .findings import FORMATS, Finding, all_ok, summary
from .sources import SourceError, Sources, open_repo, open_wheels

__all__ = [
    "DriftItem", "FORMATS", "Finding", "SourceError", "Sources", "all_ok", "check", "check_refs", "compare",
    "diagram_refs", "drift", "open_repo", "open_wheels", "resolve_line", "summary",
]
