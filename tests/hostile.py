"""Hostile labels: every vector toolchain-notes §5 verified against the real renderers, plus scripts.

Shared by the text-level tests and the real-renderer corpus; grow it whenever a bug is found.
"""

HOSTILE = [
    'He said "hi"; <b>x</b> &amp; & y # z #quot; [a] {b} (c) |d| %%e `f` g: h \'i\' ✓ 漢字 😀 end" --> Z["pwn',
    'x"] --> Z["pwn',
    "harmless\n!include /tmp/canary/secret.puml",
    "lone cr\r!include /tmp/canary/secret.puml",
    "x\n@enduml\n@startuml\n!include /tmp/canary/secret.puml",
    '%getenv("CANARY_ENV")',
    '%load_json("/tmp/canary/data.json")',
    "%file_exists(\"/tmp/canary/secret.txt\") %date() $v",
    "<img:/tmp/canary/pic.png>",
    "[[javascript:alert(1) click]] [[http://x.invalid y]]",
    "%%{init: {'theme':'dark'}}%% y",
    "x %%{init: {'themeCSS': '.node rect {fill: red !important; background: url(http://127.0.0.1:9/css)}'}}%% y",
    "line\nclick n_a href \"https://example.invalid\"",
    "hello; Note over n_a: injected",
    "<img src='http://127.0.0.1:18768/ssrf_img.png'>",
    "<script>alert(1)</script>",
    'label="x" URL="javascript:alert(1)" image="/tmp/canary/pic.png" y=""',
    "C:\\temp\\x \\N \\G \\l \\",
    "tab\there\x00nul\x07bel\x1b[31mansi\x7fdel",
    "**bold** __u__ --st-- //it// \"\"mono\"\" ^^x^^ ~~s~~",
    "end",
    "subgraph end",
    "a.b,c-d_e/f!g?h'i+j=k*l@m$n^o~p",
    "Ελληνικά Кириллица 漢字かな 한국어 😀 עברית عربى",
    "\u202eRTL override\u202c and zero\u200bwidth",
    "}{ ][ )( ><",
    "#35; &#35; \\u0023 <U+0023>",
    "@startuml ../escaped_name",
    "!theme evil from /tmp",
    "-->|pipe| x --o y",
    # found while rendering: Mermaid titles show serialised HTML, erDiagram reads markdown,
    # PlantUML's maxMessageSize decodes twice, Mermaid cuts fragment labels through entities
    "line<br>break<br/>x &nbsp; nbsp\u00a0here &lt;b&gt; <U+003C>",
    "supercalifragilisticexpialidocious#59;%%{init}%%<script>x</script>;averyveryverylongword:http://x",
]

# Vectors that reach for a file or the network; ``{canary}`` is a folder of planted files
# and ``{url}`` a loopback HTTP server the test watches (see ``planted``).
REACHING = [
    "harmless\n!include {canary}/secret.puml",
    "x\n@enduml\n@startuml\n!include {canary}/secret.puml",
    "x\n!include {url}/include.puml",
    '%load_json("{canary}/data.json")',
    '%load_json("{url}/data.json")',
    "%getenv(\"CANARY_ENV\") %file_exists(\"{canary}/secret.txt\")",
    "<img:{canary}/pic.png> <img:{canary}/pic.svg>",
    "<img:{url}/pic.png>",
    "<img src='{url}/ssrf.png'> <img src=\"{url}/ssrf2.png\">",
    "x %%{{init: {{'themeCSS': '.node rect {{background: url({url}/css.png)}}'}}}}%% y",
    "<style>@import url({url}/import.css);</style>",
    "<a href='{url}/link'>link</a> [[{url}/plantuml-link]]",
    'x" URL="{url}/url" image="{canary}/pic.png" href="{url}/href" y="',
    "<<TABLE><TR><TD><IMG SRC=\"{canary}/pic.png\"/></TD></TR></TABLE>>",
    "!include {canary}/secret.txt",
]

# Canary contents: none of these may ever appear in an output.
CANARIES = {
    "secret.txt": "FILECANARY_7731",
    "secret.puml": "Alice -> Bob : INCLUDED_PUML_CANARY\n",
    "data.json": '{"k": "JSONCANARY_55"}',
    "pic.svg": '<svg xmlns="http://www.w3.org/2000/svg"><text>SVGCANARY_19</text></svg>',
}
ENV_CANARY = ("CANARY_ENV", "ENVCANARY_456")
LEAKS = ("FILECANARY", "INCLUDED_PUML_CANARY", "JSONCANARY", "SVGCANARY", "ENVCANARY", "data:image")


def plant(folder) -> None:
    """Write the canary files (and a red 1x1 PNG) into ``folder``."""
    import base64
    from pathlib import Path

    folder = Path(folder)
    for name, text in CANARIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "pic.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"))


def planted(canary: str, url: str) -> list[str]:
    """The whole corpus with its file paths pointing at ``canary`` and its URLs at ``url``."""
    fixed = [h.replace("/tmp/canary", canary).replace("http://127.0.0.1:9", url)
             .replace("http://127.0.0.1:18768", url) for h in HOSTILE]
    return fixed + [r.format(canary=canary, url=url) for r in REACHING]


KINDS = ("service", "database", "person", "queue", "function", "cloud", "file", "vm", "page", "external")


def tag(place: str, i: int) -> str:
    """A plain marker in front of a label, so a test can tell which place the text is in."""
    return f"Q{place}{i}Q "


def all_hostile(labels, name: str = "hostile", title: str | None = None):
    """One model with every label in every place text goes: node, group title (nested too),
    edge/message, fragment condition, node note, step note, column description, title."""
    from lablink_diagrams.model import Diagram, Field, Fragment, Group, Node, Note, Section, Step

    n = len(labels)
    nodes = tuple(Node(f"n{i}", tag("n", i) + t, kind=KINDS[i % len(KINDS)],
                       fields=(Field("col", "text", description=tag("d", i) + t),))
                  for i, t in enumerate(labels))
    groups = tuple(Group(f"g{i}", tag("g", i) + t, nodes=(f"n{i}",),
                         groups=(f"g{i + 1}",) if i % 2 == 0 and i + 1 < n else ())
                   for i, t in enumerate(labels))
    steps = tuple(Step(i + 1, f"n{i}", f"n{(i + 1) % n}", tag("s", i) + t, blocking=i % 3 == 0)
                  for i, t in enumerate(labels))
    fragments = (Fragment("alt", tuple(Section(i + 1, i + 1, tag("f", i) + t) for i, t in enumerate(labels))),)
    notes = tuple(Note(tag("o", i) + t, node=f"n{i}") for i, t in enumerate(labels)) + \
        tuple(Note(tag("p", i) + t, step=i + 1) for i, t in enumerate(labels))
    return Diagram(name=name, title=title if title is not None else tag("t", 0) + " ".join(labels),
                   views=("architecture", "sequence", "schema"), nodes=nodes, groups=groups,
                   steps=steps, fragments=fragments, notes=notes,
                   baseline=tuple((f"repo{i}", tag("b", i) + t) for i, t in enumerate(labels)))
