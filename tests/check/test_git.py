"""A two-commit git repo built here: git sources (normal and bare), drift between the commits, the CLI."""

from __future__ import annotations

import json
import subprocess
import time

import pytest
from click.testing import CliRunner

from lablink_diagrams.check import Sources, check, check_refs, drift, open_repo
from lablink_diagrams.check.command import check_command, drift_command
from lablink_diagrams.check.drift import stale
from lablink_diagrams.model import Diagram, Node

from checkutil import A, L, git, needs_git, write_tree

pytestmark = needs_git

V1 = {
    A + "main.py": '''
        from flask import Flask
        app = Flask(__name__)


        @app.route("/vm_startup", methods=["POST"])
        def vm_startup():
            return listen_for_notifications()


        @app.route("/api/launch", methods=["POST"])
        def launch():
            return 1
        ''',
    A + "database.py": "def listen_for_notifications():\n    pass\n\n\ndef assign_vm():\n    pass\n",
}
V2 = {  # vm_startup removed, launch moved to a blueprint module, database.py split
    A + "main.py": "from flask import Flask\napp = Flask(__name__)\n",
    A + "routes/provisioning.py": '''
        @bp.route("/api/launch", methods=["POST"])
        def launch():
            return 1
        ''',
    A + "db/vms.py": "class VmDatabase:\n    def assign_vm(self):\n        pass\n",
}


def _diagram(name, refs_per_node):
    nodes = tuple(Node(id=f"n{i}", label=f"n{i}", refs=tuple(refs)) for i, refs in enumerate(refs_per_node))
    return Diagram(name=name, title=name, nodes=nodes)


CRD = _diagram("crd-connection", [[L("A/main.py", "POST /vm_startup"), L("A/main.py", "vm_startup:listen_for_notifications")],
                                  [L("A/database.py", "listen_for_notifications")]])
PROV = _diagram("vm-provisioning", [[L("A/main.py", "POST /api/launch")], [L("A/database.py", "assign_vm")]])
STABLE = _diagram("main", [[L("A/main.py", "app")]])


@pytest.fixture()
def repo(tmp_path):
    r = tmp_path / "lablink"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    write_tree(r, V1)
    git(r, "add", ".")
    git(r, "commit", "-qm", "v1")
    git(r, "tag", "v1")
    for p in V1:
        (r / p).unlink()
    write_tree(r, V2)
    git(r, "add", "-A")
    git(r, "commit", "-qm", "v2")
    return r


def test_git_revision_reads_without_checkout(repo):
    refs = [L("A/main.py", "POST /vm_startup"), L("A/database.py", "assign_vm")]
    old = Sources(lablink=open_repo("lablink", f"{repo}@v1"))
    new = Sources(lablink=open_repo("lablink", f"{repo}@HEAD"))
    assert [f.status for f in check_refs(refs, old)] == ["found", "found"]
    assert [f.status for f in check_refs(refs, new)] == ["missing-symbol", "moved"]
    # the working tree (v2) agrees with HEAD
    work = Sources(lablink=open_repo("lablink", str(repo)))
    assert [f.status for f in check_refs(refs, work)] == ["missing-symbol", "moved"]


def test_bare_git_dir(repo, tmp_path):
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    f_head, = check_refs([L("A/db/vms.py", "VmDatabase.assign_vm")], Sources(lablink=open_repo("lablink", str(bare))))
    assert (f_head.status, f_head.location) == ("found", A + "db/vms.py:2")
    f_v1, = check_refs([L("A/main.py", "launch")], Sources(lablink=open_repo("lablink", f"{bare}@v1")))
    assert (f_v1.status, f_v1.location) == ("found", A + "main.py:11")


def test_drift_between_two_commits(repo):
    items = drift([CRD, PROV, STABLE], str(repo), "v1", "HEAD")
    assert stale(items) == ["crd-connection", "vm-provisioning"]
    got = {(i.diagram, i.ref.symbol): (i.status, i.after) for i in items}
    assert got == {
        ("crd-connection", "POST /vm_startup"): ("missing-symbol", None),
        ("crd-connection", "vm_startup:listen_for_notifications"): ("missing-symbol", None),
        ("crd-connection", "listen_for_notifications"): ("missing-file", None),
        ("vm-provisioning", "POST /api/launch"): ("moved", A + "routes/provisioning.py:1"),
        ("vm-provisioning", "assign_vm"): ("moved", A + "db/vms.py:2"),
    }
    assert all(i.before.startswith(A) for i in items)
    # no drift from a revision to itself
    assert drift([CRD, PROV, STABLE], str(repo), "HEAD", "HEAD") == []


def test_check_and_drift_commands(repo, monkeypatch):
    from lablink_diagrams import mechanisms

    monkeypatch.setattr(mechanisms, "select", lambda names, **kw: [CRD, PROV, STABLE])
    r = CliRunner().invoke(check_command, ["--lablink", f"{repo}@v1", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert {row["status"] for row in rows} == {"found"} and len(rows) == 6
    assert {"diagram", "ref", "status", "location"} <= set(rows[0])

    r = CliRunner().invoke(check_command, ["--lablink", f"{repo}@HEAD"])
    assert r.exit_code == 1
    assert r.output.splitlines()[-1].startswith("6 refs: 1 found, 2 moved, 2 missing-symbol, 1 missing-file")

    r = CliRunner().invoke(check_command, ["--lablink", f"{repo}@HEAD", "--format", "markdown"])
    assert "## crd-connection" in r.output and "| moved |" in r.output

    r = CliRunner().invoke(drift_command, ["--lablink", str(repo), "--from", "v1", "--to", "HEAD"])
    assert r.exit_code == 1
    assert r.output.splitlines()[-1] == "2 of 3 diagrams stale: crd-connection, vm-provisioning"


@pytest.mark.parametrize("args", [
    ["--lablink", "/no/such/dir"],
    ["--lablink", "{repo}@no-such-rev"],
    ["--lablink-wheels", "{repo}"],
    ["--lablink", "{repo}", "--lablink-wheels", "{repo}"],
    [],
])
def test_bad_input_is_one_line_exit_2(repo, args):
    args = [a.replace("{repo}", str(repo)) for a in args]
    r = CliRunner().invoke(check_command, ["main", *args])
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output and r.output.strip().splitlines()[-1].startswith("Error: ")


def test_bad_revision_for_drift(repo):
    r = CliRunner().invoke(drift_command, ["--lablink", str(repo), "--from", "nope", "--to", "HEAD"])
    assert r.exit_code == 2 and "nope" in r.output and "Traceback" not in r.output


def test_git_source_is_fast(repo):
    src = Sources(lablink=open_repo("lablink", f"{repo}@v1"))
    t0 = time.perf_counter()
    check([CRD, PROV, STABLE] * 20, src)
    assert time.perf_counter() - t0 < 2


def test_model_file_and_api_view_both_ways(repo, tmp_path):
    """--model FILE loads a diagram; api-architecture also reports routes the source serves but the model lacks."""
    from lablink_diagrams.model_json import dumps

    api = _diagram("api-architecture", [[L("A/main.py", "POST /vm_startup"), L("A/main.py", "POST /api/gone")]])
    f = tmp_path / "api.json"
    f.write_text(dumps(api))
    r = CliRunner().invoke(check_command, ["--model", str(f), "--lablink", f"{repo}@v1", "--format", "json"])
    assert r.exit_code == 1, r.output
    rows = {(row["ref"]["symbol"], row["status"], row["location"]) for row in json.loads(r.output)}
    assert rows == {
        ("POST /vm_startup", "found", A + "main.py:5"),
        ("POST /api/gone", "missing-symbol", None),
        ("POST /api/launch", "not-modelled", A + "main.py:10"),
    }
    r = CliRunner().invoke(check_command, ["--model", str(tmp_path / "nope.json"), "--lablink", f"{repo}@v1"])
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "nope.json" in r.output


RENAME_V1 = {A + "utils/terraform_utils.py": '''
    import json
    import subprocess


    def get_instance_ips(terraform_dir):
        result = subprocess.run(["terraform", "output", "-json", "vm_public_ips"], cwd=terraform_dir,
                                capture_output=True, text=True, check=True)
        return json.loads(result.stdout)


    def get_ssh_private_key(terraform_dir):
        return subprocess.run(["terraform", "output", "-raw", "private_key"], cwd=terraform_dir).stdout
    '''}
RENAME_V2 = {A + "utils/tofu_utils.py": '''
    import json
    import subprocess


    def get_instance_addresses(tofu_dir):
        result = subprocess.run(["tofu", "output", "-json", "vm_public_ips"], cwd=tofu_dir,
                                capture_output=True, text=True, check=True)
        return json.loads(result.stdout)


    def get_key(tofu_dir):
        return None
    '''}


def test_drift_names_a_definition_renamed_in_a_moved_file(tmp_path):
    """terraform_utils.py became tofu_utils.py and get_instance_ips get_instance_addresses
    (same body, the tool's name changed): drift says where it likely went, for the inner
    ref too. get_ssh_private_key's body is gone: get_instance_addresses is 65 % like it
    token by token, but its name only a third like it, so it stays missing-file."""
    r = tmp_path / "lablink"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    write_tree(r, RENAME_V1)
    git(r, "add", ".")
    git(r, "commit", "-qm", "v1")
    git(r, "rm", "-q", "-r", "packages")
    write_tree(r, RENAME_V2)
    git(r, "add", "-A")
    git(r, "commit", "-qm", "v2")
    refs = [L("A/utils/terraform_utils.py", "get_instance_ips"), L("A/utils/terraform_utils.py", "get_instance_ips:subprocess.run"),
            L("A/utils/terraform_utils.py", "get_ssh_private_key")]
    items = drift([_diagram("data-collection", [refs])], str(r), "HEAD~1", "HEAD")
    got = {i.ref.symbol: (i.status, i.after) for i in items}
    assert got == {"get_instance_ips": ("renamed", A + "utils/tofu_utils.py:5"),
                   "get_instance_ips:subprocess.run": ("renamed", A + "utils/tofu_utils.py:6"),
                   "get_ssh_private_key": ("missing-file", None)}
    detail = next(i.detail for i in items if i.ref.symbol == "get_instance_ips")
    assert detail.startswith("likely renamed: now get_instance_addresses in ") and "% the same" in detail
    assert stale(items) == ["data-collection"]
