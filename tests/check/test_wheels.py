"""Against LabLink's released wheels, downloaded from PyPI (``network``; CI has PyPI).

Expected results come from the fact sheet: §6's 0.1.0 column (line per ref, or
absent) and §7 (what changed or vanished in 0.1.0, and what is never packaged).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from lablink_diagrams import mechanisms
from lablink_diagrams.check import Sources, check, check_refs, open_wheels
from lablink_diagrams.check.drift import compare, stale
from lablink_diagrams.check.sources import to_wheel_path

from baseline_refs import TABLE

pytestmark = pytest.mark.network


def _download(tmp_path_factory, version: str):
    d = tmp_path_factory.mktemp(f"wheels-{version}")
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:", "-d", str(d),
           f"lablink-allocator-service=={version}", f"lablink-client-service=={version}"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0 or len(list(d.glob("*.whl"))) != 2:
        pytest.skip(f"cannot download LabLink {version} wheels: {res.stderr.strip().splitlines()[-1:]}")
    return d


@pytest.fixture(scope="module")
def wheels_010(tmp_path_factory):
    return Sources(lablink=open_wheels(str(_download(tmp_path_factory, "0.1.0"))))


@pytest.fixture(scope="module")
def wheels_040(tmp_path_factory):
    return Sources(lablink=open_wheels(str(_download(tmp_path_factory, "0.4.0"))))


def test_fact_sheet_refs_in_010(wheels_010):
    """Lines in 0.1.0 exactly as §6 gives them; the exact set reported missing or moved; the rest not-checkable."""
    findings = {f.ref: f for f in check_refs([r for r, _, _ in TABLE], wheels_010)}
    for ref, _, line in TABLE:
        f = findings[ref]
        if line == "n/a" or ref.repo != "lablink":
            assert f.status == "not-checkable", str(ref)
        elif line is not None:
            assert (f.status, f.location) == ("found", f"{ref.path}:{line}"), str(ref)
    failing = {str(r) for r, f in findings.items() if f.status in ("missing-symbol", "missing-file", "moved")}
    A = "packages/allocator/src/lablink_allocator_service/"
    assert failing == {
        A + "main.py:POST /api/admin/unset-aws-credentials",
        A + "main.py:POST /api/admin/set-aws-credentials",
        A + "main.py:receive_vm_metrics:update_vm_metrics",
        A + "main.py:receive_vm_metrics:calculate_total_startup_time",
        A + "database.py:PostgresqlDatabase.update_vm_metrics",
        A + "database.py:PostgresqlDatabase.calculate_total_startup_time",
        A + "utils/aws_utils.py:validate_aws_credentials",
        A + "terraform/main.tf:aws_iam_role.cloud_watch_agent_role",
        A + "terraform/main.tf:aws_iam_policy_attachment.cloudwatch_agent_policy",
        A + "terraform/user_data.sh:amazon-cloudwatch-agent-ctl",
        "packages/client/src/lablink_client_service/logger_utils.py:"
        "CloudAndConsoleLogger.setup_cloud_logging:watchtower.CloudWatchLogHandler",
    }


# What §7 says is gone from (or changed in) the 0.1.0 wheels, as rules over (path, symbol).
_ABSENT_010 = [
    (r"main\.py$", r"(^|[: ])(POST /api/admin/(un)?set-aws-credentials|(un)?set_aws_credentials)\b"),
    (r"admin\.html$", r"aws-credentials"),
    (r".*", r"(^|[:.])validate_aws_credentials\b"),
    (r".*", r"(^|[:.])(update_vm_metrics|calculate_total_startup_time)$"),
    (r"terraform/main\.tf$", r"cloud_?watch"),
    (r"terraform/user_data\.sh$", r"(?i)cloudwatch|amazon-cloudwatch"),
    (r"logger_utils\.py$", r"watchtower"),
    (r"main\.py$", r"installing CloudWatch agent"),
    # CloudWatch agent config keys inside user_data's heredoc, and the reformatted metrics curl (§6 UD.*)
    (r"terraform/user_data\.sh$", r'^(file_path|log_group_name|log_stream_name)$|amazoncloudwatch-agent|^curl -s -X POST "\$ALLOCATOR_URL/api/vm-metrics/'),
    (r"generate_init_sql\.py$", r"^column Logs$"),  # 0.1.0 splits Logs into CloudInitLogs/DockerLogs (§4)
    (r"logger_utils\.py$", r"^CloudAndConsoleLogger\.(__init__|setup_cloud_logging)"),  # console-only in 0.1.0
]


def _expected_status(ref):
    if ref.repo != "lablink" or to_wheel_path(ref.path) is None:
        return "not-checkable"
    for path_re, sym_re in _ABSENT_010:
        if re.search(path_re, ref.path) and re.search(sym_re, ref.symbol):
            return "absent"
    return "found"


def _diagrams(*names):
    out = []
    for n in names or mechanisms.NAMES:
        try:
            out.append(mechanisms.load(n))
        except ModuleNotFoundError:
            continue
    return out


def test_diagrams_against_010(wheels_010):
    """Every diagram ref: found in 0.1.0 unless §7 says it is gone; not-checkable when never packaged."""
    diagrams = _diagrams()
    if not diagrams:
        pytest.skip("no mechanism modules yet")
    wrong = []
    for f in check(diagrams, wheels_010):
        if f.status == "not-modelled":  # 0.1.0 adds reboot/schedule routes the S-era API view does not draw
            assert re.search(r"reboot|schedule", f.ref.symbol), str(f.ref)
            continue
        want = _expected_status(f.ref)
        got = {"found": "found", "not-checkable": "not-checkable"}.get(f.status, "absent")
        if got != want:
            wrong.append((f.diagram, str(f.ref), f.status, f.detail))
    assert wrong == []


def test_crd_and_data_collection_stale_in_040(wheels_010, wheels_040):
    """CRD (subscribe/connect_crd/LISTEN-NOTIFY) and SCP export are gone by 0.4.0 (fact sheet §5, §7)."""
    diagrams = _diagrams("crd-connection", "data-collection")
    if not diagrams:
        pytest.skip("mechanism modules not written yet")
    items = compare(diagrams, wheels_010, wheels_040)
    assert stale(items) == [d.name for d in diagrams]
    by_path = {i.ref.path.rsplit("/", 1)[-1] for i in items if i.status == "missing-file"}
    if "crd-connection" in stale(items):
        assert {"subscribe.py", "connect_crd.py", "database.py"} <= by_path
    if "data-collection" in stale(items):
        assert "scp.py" in by_path
    for f in check(diagrams, wheels_040):
        if f.ref.repo == "lablink-template" or to_wheel_path(f.ref.path) is None:
            assert f.status == "not-checkable"


def test_unpacked_wheels_equal_whl_files(wheels_010, tmp_path):
    import zipfile

    whl_dir = wheels_010.lablink.root
    for whl in whl_dir.glob("*.whl"):
        zipfile.ZipFile(whl).extractall(tmp_path / whl.stem)
    unpacked = Sources(lablink=open_wheels(str(tmp_path)))
    refs = [r for r, _, _ in TABLE]
    assert [(f.status, f.location) for f in check_refs(refs, unpacked)] == \
           [(f.status, f.location) for f in check_refs(refs, wheels_010)]
