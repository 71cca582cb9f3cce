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
]
