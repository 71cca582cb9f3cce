"""--show-refs: file:symbol without a source, file:line from the source itself (never from the model)."""

from pathlib import Path

import pytest

from lablink_diagrams import mechanisms
from lablink_diagrams.cli import main
from lablink_diagrams.show_refs import with_refs

MIRROR = Path("/work/.mirror/talmolab+lablink/repo")


def test_without_a_source_labels_carry_file_and_symbol():
    d = with_refs(mechanisms.load("crd-connection"))
    assert d.step(1).label.endswith("\n[subscribe.py:subscribe:requests.post]")
    assert all("\n[" in s.label for s in d.steps)


def test_lines_come_from_a_checkout(tmp_path, capsys):
    pkg = tmp_path / "packages/client/src/lablink_client_service"
    pkg.mkdir(parents=True)
    (pkg / "subscribe.py").write_text("import requests\n\n\ndef subscribe():\n    url = 'x'\n"
                                      "    requests.post(url, json={}, timeout=(30, 604800))\n")
    code = main(["emit", "crd-connection", "-b", "dot", "--show-refs", "--lablink", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "[subscribe.py:6]" in out          # the call's line in *this* source
    assert "(not found)" in out               # refs the tiny checkout lacks say so


@pytest.mark.skipif(not MIRROR.is_dir(), reason="LabLink mirror not present (CI)")
def test_lines_at_the_baseline_revision(capsys):
    main(["emit", "crd-connection", "-b", "dot", "--show-refs", "--lablink", f"{MIRROR}@d3b6b02"])
    out = capsys.readouterr().out
    assert "[main.py:498]" in out             # vm_startup -> listen_for_notifications, fact sheet S498
    assert "(not found)" not in out.split("n_google_crd")[0]
