"""Pieces every view shares: the role a node plays (drives colour) and the caption."""

from __future__ import annotations

import math
import re
import textwrap
from functools import lru_cache

from ..model import PEOPLE, Diagram, Node

ROLES = ("external", "public", "authenticated", "data", "actor", "component")


def role(node: Node) -> str:
    """Colour role, the same in every backend: external greyed, API auth, data stores, actors."""
    if node.external or node.kind == "external":
        return "external"
    desc = node.description.lower()
    if desc.startswith("public:"):
        return "public"
    if desc.startswith("authenticated:"):
        return "authenticated"
    if node.kind in ("database", "table", "storage", "queue", "file", "config"):
        return "data"
    if node.kind in PEOPLE:
        return "actor"
    return "component"


def caption(diagram: Diagram) -> str:
    """Which code the figure describes, e.g. ``lablink d3b6b02 · lablink-template 3c2808a``."""
    return " · ".join(f"{repo} {rev}" for repo, rev in diagram.baseline)


def wrap(text: str, width: int = 30) -> str:
    """Break long lines at spaces so an edge label does not stretch a whole rank;
    a word over 1.2 times ``width`` (an identifier) breaks after ``_``, ``.``, ``/`` or ``-``.

    >>> wrap("POST /api/request_vm (email, crd_command)", 20)
    'POST /api/request_vm\\n(email, crd_command)'
    >>> wrap("trigger_crd_command_insert_or_update", 14)
    'trigger_crd_\\ncommand_\\ninsert_or_\\nupdate'
    >>> wrap("so plain http to port 80 (Caddy)", 21)  # a number stays with its word: "port 80"
    'so plain http to\\nport 80 (Caddy)'
    >>> wrap("13. HTTP 200 {pin, command}", 18)  # a short brace group is one payload
    '13. HTTP 200\\n{pin, command}'
    """
    join, glue = _markers(text)
    out = []
    for line in text.split("\n"):
        line = _NUMBERED.sub(glue, _glued(line, glue, endpoints=False))  # a verb may end a line: its path stays whole
        words = [piece for w in line.split(" ") for piece in _pieces_of(w, width, join)]
        out.append(textwrap.fill(" ".join(words), width, break_long_words=False, break_on_hyphens=False) or line)
    return "\n".join(out).replace(join + " ", "").replace(join, "").replace(glue, " ")


@lru_cache(maxsize=4096)  # pure; the same notes are wrapped once per backend
def wrap_balanced(text: str, width: int) -> str:
    """``wrap`` at the narrowest width that needs no more lines than ``width`` does and
    breaks no word that it keeps whole, so the last line is not one word under a long one
    (lines as even as they go: "POST /api/\\nrequest_vm" is as even, and worse).

    >>> wrap("Sent as soon as docker run returns, before start.sh has started any service.", 72)
    'Sent as soon as docker run returns, before start.sh has started any\\nservice.'
    >>> wrap_balanced("Sent as soon as docker run returns, before start.sh has started any service.", 72)
    'Sent as soon as docker run returns,\\nbefore start.sh has started any service.'
    """
    lines, pieces = wrap(text, width).count("\n"), _pieces(text, width)
    lo, hi = max(1, width // 2), width  # fewer lines as the width grows: search it by halves
    while lo < hi:
        mid = (lo + hi) // 2
        if wrap(text, mid).count("\n") <= lines and _pieces(text, mid) <= pieces:  # no word broken anew
            hi = mid
        else:
            lo = mid + 1
    return wrap(text, hi)


def _pieces(text: str, width: int) -> int:
    """How many pieces ``wrap`` cuts the words of ``text`` into at ``width``."""
    return sum(len(_pieces_of(w, width)) for line in text.split("\n") for w in line.split(" "))


def breaks_a_word(text: str, width: int) -> bool:
    """Does ``wrap`` at ``width`` break a word of the text?

    >>> breaks_a_word("instance-logs.html", 14), breaks_a_word("instance-logs.html", 16)
    (True, False)
    """
    return _pieces(text, width) > sum(len(line.split(" ")) for line in text.split("\n"))


_WHOLE = 1.2  # a word up to 20 % over the width stays whole ("update_inuse_ / status" read worse); 1.4 cost crd-connection's --compact sequence 0.5 pt


def _pieces_of(word: str, width: int, join: str = "\ue000") -> list[str]:
    """``wrap``'s cut of one word: whole up to ``_WHOLE`` times the width, else as _split_word cuts it."""
    return [word] if len(word) <= _WHOLE * width else _split_word(word, width, join)




def _markers(text: str) -> tuple[str, str]:
    """Two private-use characters the text does not hold: one marks a break inside a word
    (removed after filling), one a space no line may break at (restored). Label text is
    data: a label that holds one of them keeps it.

    >>> _markers("a b"), _markers("a\ue000b\ue001")
    (('\ue000', '\ue001'), ('\ue002', '\ue003'))
    """
    free = (c for c in map(chr, range(0xE000, 0xF900)) if c not in text)
    return next(free), next(free)


def _split_word(word: str, width: int, join: str = "\ue000") -> list[str]:
    """A too-long word as pieces ending in ``_``/``.``/``/``/``-``, each piece as long as fits."""
    if len(word) <= width:
        return [word]
    parts = re.findall(r"[^_./-]*[_./-]|[^_./-]+$", word)
    pieces, cur = [], ""
    for part in parts:
        if len(cur) >= _STUB and len(cur) + len(part) > width:  # "as_" alone on a line reads as a typo
            pieces.append(cur + join)
            cur = ""
        cur += part
    if pieces and len(cur) < _STUB:  # nor a stub at the end
        cur = pieces.pop()[:-1] + cur
    pieces.append(cur)
    return pieces


_STUB = 4  # a piece of a broken word shorter than this stays with its neighbour


_NUMBERED = re.compile(r"(?<=[A-Za-z]) (?=\d{1,5}\b)")  # "port 80", "SSH 22", "phase 2": one unit
# a command line tool and its subcommand read as one word: "docker cp", "terraform destroy"
_COMMAND = re.compile(r"\b(docker|terraform|tofu|git|mike|uv|pip|npm|kubectl|aws) (?=[a-z][\w-]*\b)")


def _glued(line: str, glue: str, endpoints: bool = True) -> str:
    """The spaces a line may not break at, as ``glue``: an HTTP verb stays with its path,
    ``×`` with both neighbours, ``·`` ends a line and ``→`` starts one (or ends the line
    it was given at the end of), a tool keeps its subcommand."""
    if endpoints:
        line = re.sub(r"\b(GET|POST|PUT|PATCH|DELETE) (?=/)", r"\1" + glue, line)
    line = re.sub(r" ·(?= |$)", glue + "·", line).replace("→ ", "→" + glue).replace(" × ", glue + "×" + glue)
    line = re.sub(r" ([→›])$", glue + r"\1", line)  # an arrow that ends a given line stays on it
    # a short brace group is one payload: "{pin, / command}" read as two (review 84)
    line = _BRACED.sub(lambda m: m.group(0).replace(" ", glue), line)
    return _COMMAND.sub(r"\1" + glue, line)


_BRACED = re.compile(r"\{[^{}\s][^{}]{0,14}\}")  # up to 16 characters, braces included


@lru_cache(maxsize=8192)  # a pure function, called for the same labels once per backend
def wrap_name(text: str, width: int = 16, whole: float = 2.0, slack: int | None = None,
              endpoints: bool = True) -> str:
    r"""Break a node's name or an edge label into lines of about ``width`` characters
    without splitting what a reader needs whole.

    Boxes and labels side by side are what make a figure wide, and a wide figure prints
    small in a 7-inch column; but a name broken inside ``upload_to_s3`` or between ``N ×``
    and ``EC2`` reads worse than a wider line. So: each given line is a unit (an endpoint
    list stays a list) and is left alone up to a quarter over the width; a line may use
    that quarter when it saves a line; lines are balanced, so no word is left alone on
    the last one. An HTTP verb stays with its path, ``×`` with both neighbours, ``·``
    ends a line and ``→`` starts one; a word (an identifier, a path) is broken only when
    it is over ``whole`` times the width, and then near its middle. ``slack=0`` and
    ``endpoints=False`` suit edge labels: a line is never wider than needed, and a verb
    may end a line before its path.

    >>> wrap_name("GET /api/unassigned_vms_count\nPOST /api/admin/unset-aws-credentials")
    'GET /api/unassigned_vms_count\nPOST /api/admin/unset-aws-credentials'
    >>> wrap_name("AWS APIs\nEC2 · IAM · S3 · STS")  # 20 characters: one line
    'AWS APIs\nEC2 · IAM · S3 · STS'
    >>> wrap_name("AWS S3 Terraform state")  # balanced: no lone "state"
    'AWS S3\nTerraform state'
    >>> wrap_name("TCP 22 / 80 / 443 from 0.0.0.0/0")  # 17 characters save a line
    'TCP 22 / 80 / 443\nfrom 0.0.0.0/0'
    >>> wrap_name("create SG, IAM, key pair, N × EC2")
    'create SG, IAM,\nkey pair, N × EC2'
    >>> wrap_name("upload_to_s3(tfvars) and more")
    'upload_to_s3(tfvars)\nand more'
    >>> wrap_name("verify-allocator · verify-client (pull from GHCR)")
    'verify-allocator ·\nverify-client\n(pull from GHCR)'
    >>> wrap_name("terraform: OIDC → secrets → init → plan → apply → verify")
    'terraform: OIDC\n→ secrets → init\n→ plan → apply\n→ verify'
    >>> wrap_name("ssh / docker cp / rsync to client VMs")  # a tool stays with its subcommand
    'ssh / docker cp /\nrsync to client VMs'
    >>> wrap_name("trigger_crd_command_insert_or_update")
    'trigger_crd_command_\ninsert_or_update'
    >>> wrap_name("write terraform.runtime.tfvars", 16, slack=0, endpoints=False)  # an edge label
    'write\nterraform.runtime.tfvars'
    >>> wrap_name("GET /api/unassigned_vms_count", 16, slack=0, endpoints=False)
    'GET\n/api/unassigned_vms_count'
    """
    join, glue = _markers(text)
    slack = width // 4 if slack is None else slack
    out = []
    for line in text.split("\n"):
        if len(line) <= width + slack:
            out.append(line)
            continue
        line = _glued(line, glue, endpoints)
        words = []
        for w in line.split(" "):
            if len(w) > whole * width and not re.match(r"[A-Z]+" + glue + "/", w):
                pieces = math.ceil(len(w) / (whole * width))
                words += _split_word(w, math.ceil(len(w) / pieces) + 6, join)
            else:
                words.append(w)
        joined = " ".join(words)

        def fill(w: int) -> list[str]:
            return textwrap.wrap(joined, w, break_long_words=False, break_on_hyphens=False) or [joined]

        if len(joined) > 20 * width:  # not a name: fill it, without searching for a shape
            out.append("\n".join(fill(width)).replace(glue, " "))
            continue
        fewest = min(len(fill(w)) for w in range(width, width + slack + 1))
        best = next(w for w in range(width, width + slack + 1) if len(fill(w)) == fewest)
        # balance: the narrowest width that still needs no more lines
        while best > 1 and len(fill(best - 1)) == fewest:
            best -= 1
        out.append("\n".join(fill(best)).replace(glue, " "))
    return "\n".join(out).replace(join + " ", "").replace(join, "")


def numbered(number: int, label: str) -> str:
    """The step label as every view prints it: ``3. POST /api/request_vm``."""
    return f"{number}. {label}"


# A key entry's wrapped lines hang under its text, not under its number: flush under "6."
# a line read as an entry of its own ("→ N/A", "LISTEN"). The indent is as wide as the
# number, point and space in the label font (DejaVu: a figure space per digit, a
# punctuation space each for the point and the space), and it is text, so every backend
# keeps it where it keeps the line (an SVG text needs xml:space="preserve": librsvg
# strips leading Unicode spaces otherwise).
HANG_DIGIT, HANG_POINT = "\u2007", "\u2008"


def key_entry(number: int, label: str, width: int, digits: int = 0) -> str:
    """A key's entry: the label wrapped at ``width`` and numbered, its later lines hung. The
    label's own line breaks shape it beside its edge; a key's column is wider, so they go.
    A number shorter than ``digits`` (the key's longest) is set right with figure spaces,
    so every entry's text starts in one column (review 87: the text stepped right at "10.").

    >>> key_entry(12, "upsert status; UPDATE health, in-use, timings; LISTEN", 30).split("\\n")
    ['12. upsert status; UPDATE health,', '\u2007\u2007\u2008\u2008in-use, timings; LISTEN']
    >>> key_entry(7, "SSH 22,\\nkey from\\nTerraform", 48)
    '7. SSH 22, key from Terraform'
    >>> key_entry(7, "SSH 22, key from Terraform", 16, digits=2).split("\\n")
    ['\u20077. SSH 22, key from', '\u2007\u2007\u2008\u2008Terraform']
    """
    first, *rest = wrap(" ".join(label.splitlines()), width).split("\n")
    pad = HANG_DIGIT * max(0, digits - len(str(number)))
    hang = HANG_DIGIT * max(digits, len(str(number))) + HANG_POINT * 2
    return "\n".join([pad + numbered(number, first), *(hang + line for line in rest)])
