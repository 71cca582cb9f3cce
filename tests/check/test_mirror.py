"""Against LabLink's real git history (the local mirrors; skipped where they are absent, e.g. CI)."""

from __future__ import annotations

import time

import pytest

from lablink_diagrams import mechanisms
from lablink_diagrams.check import Sources, check, check_refs, drift, open_repo
from lablink_diagrams.check.checker import api_routes
from lablink_diagrams.check.drift import stale

from baseline_refs import TABLE
from checkutil import A, MIRROR_LABLINK, MIRROR_TEMPLATE, needs_git, needs_mirror

pytestmark = [needs_git, needs_mirror]


@pytest.fixture(scope="module")
def baseline():
    s = Sources(lablink=open_repo("lablink", f"{MIRROR_LABLINK}@d3b6b02"),
                template=open_repo("lablink-template", f"{MIRROR_TEMPLATE}@3c2808a"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def head():
    s = Sources(lablink=open_repo("lablink", f"{MIRROR_LABLINK}@main"),
                template=open_repo("lablink-template", f"{MIRROR_TEMPLATE}@main"))
    yield s
    s.close()


def test_fact_sheet_lines_at_baseline(baseline):
    """Every ref of the fact-sheet table resolves to exactly the S line the sheet gives."""
    got = {f.ref: (f.status, f.location) for f in check_refs([r for r, _, _ in TABLE], baseline)}
    wrong = [(str(r), got[r], line) for r, line, _ in TABLE if got[r] != ("found", f"{r.path}:{line}")]
    assert wrong == []


def test_baseline_route_count(baseline):
    """S has 22 view functions (21 rules, /api/vm-status has GET and POST) in main.py."""
    routes = [r for r in api_routes(baseline.lablink, A) if r[0] == A + "main.py"]
    assert len(routes) == 22
    assert len({sym.split(" ", 1)[1] for _, sym, _, _ in routes}) == 21


def test_head_moves_and_removals(head):
    """At HEAD routes live in blueprints and the CRD mechanism is gone (fact sheet §5/§6 HEAD column)."""
    refs = [r for r, _, _ in TABLE]
    got = {str(f.ref): f for f in check_refs(refs, head)}
    p = A + "routes/"
    assert (got[A + "main.py:GET /admin/create"].status, got[A + "main.py:GET /admin/create"].location) \
        == ("moved", p + "admin_pages.py:21")
    assert got[A + "main.py:POST /api/launch"].location == p + "provisioning.py:36"
    assert got[A + "main.py:GET /api/unassigned_vms_count"].location == p + "public.py:114"
    assert got[A + "database.py:PostgresqlDatabase.assign_vm"].location == A + "db/vms.py:631"
    assert got[A + "main.py:POST /vm_startup"].status == "missing-symbol"
    assert got["packages/client/src/lablink_client_service/subscribe.py:subscribe"].status == "missing-file"
    assert got[A + "terraform/main.tf:aws_instance.lablink_vm"].location == A + "terraform/main.tf:82"
    assert got[".github/workflows/ci.yml:jobs.docker-build-test-allocator"].status == "missing-symbol"
    assert got["lablink-infrastructure/main.tf:aws_lambda_function.log_processor"].status == "missing-symbol"
    assert got["lablink-infrastructure/main.tf:aws_instance.lablink_allocator_server"].location \
        == "lablink-infrastructure/main.tf:261"


def _available():
    out = []
    for name in mechanisms.NAMES:
        try:
            mechanisms.load(name)
        except ModuleNotFoundError:
            continue
        out.append(name)
    return out


@pytest.mark.parametrize("name", _available())
def test_every_diagram_ref_is_found_at_baseline(baseline, name):
    """The diagrams describe S: every ref must resolve there (this is the model's accuracy gate)."""
    findings = check([mechanisms.load(name)], baseline)
    bad = [(str(f.ref), f.status, f.location, f.detail) for f in findings if f.status != "found"]
    assert bad == []


def test_checking_everything_against_git_is_fast(baseline):
    diagrams = [mechanisms.load(n) for n in _available()]
    fresh = Sources(lablink=open_repo("lablink", f"{MIRROR_LABLINK}@d3b6b02"),
                    template=open_repo("lablink-template", f"{MIRROR_TEMPLATE}@3c2808a"))
    t0 = time.perf_counter()
    check(diagrams, fresh)
    fresh.close()
    assert time.perf_counter() - t0 < 2.0


def test_drift_baseline_to_head_marks_crd_stale():
    names = [n for n in ("crd-connection", "database-schema") if n in _available()]
    if not names:
        pytest.skip("mechanism modules not written yet")
    items = drift([mechanisms.load(n) for n in names], str(MIRROR_LABLINK), "d3b6b02", "main")
    assert set(stale(items)) == set(names)
    trig = [i for i in items if i.ref.symbol.startswith("trigger ")]
    assert trig and all(i.status == "missing-symbol" and i.before.endswith("generate_init_sql.py:66") for i in trig)


def test_api_view_both_ways_at_baseline(baseline):
    """All 22 S routes are modelled; drop one route ref and it comes back as not-modelled."""
    import dataclasses

    if "api-architecture" not in _available():
        pytest.skip("api-architecture not written yet")
    api = mechanisms.load("api-architecture")
    assert not [f for f in check([api], baseline) if f.status == "not-modelled"]
    drop = "GET /api/vm-status/<hostname>"
    strip = lambda items: tuple(dataclasses.replace(i, refs=tuple(r for r in i.refs if r.symbol != drop)) for i in items)
    thinner = dataclasses.replace(api, nodes=strip(api.nodes), groups=strip(api.groups), steps=strip(api.steps))
    extra = [f for f in check([thinner], baseline) if f.status == "not-modelled"]
    assert [(f.ref.symbol, f.location) for f in extra] == [(drop, A + "main.py:671")]
