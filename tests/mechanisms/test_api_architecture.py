"""Facts the api-architecture diagram must state (fact sheet §2 route table, §3 Diagram 6)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from lablink_diagrams.mechanisms import load

# Fact sheet §2 at S (lablink d3b6b02): (method, rule) -> needs @auth.login_required.
ROUTES_AT_S = {
    ("GET", "/"): False,
    ("GET", "/admin/create"): True,
    ("GET", "/admin"): True,
    ("POST", "/api/admin/unset-aws-credentials"): True,
    ("POST", "/api/admin/set-aws-credentials"): True,
    ("GET", "/admin/instances"): True,
    ("GET", "/admin/instances/delete"): True,
    ("POST", "/api/request_vm"): False,
    ("POST", "/api/launch"): True,
    ("POST", "/destroy"): True,
    ("POST", "/vm_startup"): False,
    ("GET", "/api/scp-client"): True,
    ("GET", "/api/unassigned_vms_count"): False,
    ("POST", "/api/update_inuse_status"): False,
    ("POST", "/api/gpu_health"): False,
    ("POST", "/api/vm-status"): False,
    ("GET", "/api/vm-status/<hostname>"): False,
    ("GET", "/api/vm-status"): False,
    ("POST", "/api/vm-logs"): False,
    ("GET", "/api/vm-logs/<hostname>"): False,
    ("GET", "/admin/logs/<hostname>"): True,
    ("POST", "/api/vm-metrics/<hostname>"): False,
}

MIRROR = Path("/work/.mirror/talmolab+lablink/repo")


@pytest.fixture(scope="module")
def d():
    return load("api-architecture")


def endpoint_nodes(d):
    return [n for n in d.nodes if n.description.split(":")[0].split()[0] in ("public", "authenticated")]


def modelled_routes(d):
    """(method, rule) -> auth word of the node that carries the route ref."""
    out = {}
    for n in endpoint_nodes(d):
        for r in n.refs:
            if r.kind == "route":
                method, rule = r.symbol.split(" ", 1)
                assert (method, rule) not in out, f"{r.symbol} modelled twice"
                out[(method, rule)] = n.description.split(":")[0].split()[0]
    return out


def test_exactly_the_22_view_functions_at_s(d):
    routes = modelled_routes(d)
    assert set(routes) == set(ROUTES_AT_S)
    assert len(routes) == 22
    assert len({rule for _, rule in routes}) == 21  # /api/vm-status has POST and GET


def test_12_public_10_login_required(d):
    routes = modelled_routes(d)
    assert sum(a == "authenticated" for a in routes.values()) == 10
    assert sum(a == "public" for a in routes.values()) == 12
    for key, needs_auth in ROUTES_AT_S.items():
        assert routes[key] == ("authenticated" if needs_auth else "public"), key


def test_methods_the_spec_got_wrong_or_that_are_easy_to_miss(d):
    routes = modelled_routes(d)
    assert ("POST", "/vm_startup") in routes and ("GET", "/vm_startup") not in routes
    assert ("GET", "/api/scp-client") in routes and ("POST", "/api/scp-client") not in routes
    assert ("POST", "/destroy") in routes
    assert ("POST", "/api/vm-metrics/<hostname>") in routes
    assert not any(rule == "/api/vm-metrics" for _, rule in routes)  # only the <hostname> form exists


def test_each_group_lists_its_routes_in_the_label(d):
    for n in endpoint_nodes(d):
        listed = [line for line in n.label.split("\n")[1:]]
        refs = [r.symbol for r in n.refs if r.kind == "route"]
        assert listed == refs, n.id


def test_vm_lambda_and_query_routes_are_public(d):
    routes = modelled_routes(d)
    for key in [("POST", "/api/vm-logs"), ("GET", "/api/vm-logs/<hostname>"), ("GET", "/api/vm-status"),
                ("POST", "/api/vm-status"), ("POST", "/vm_startup")]:
        assert routes[key] == "public", key
    assert routes[("GET", "/admin/logs/<hostname>")] == "authenticated"


def test_four_actors_call_their_groups(d):
    callers = {(s.source, s.target) for s in d.steps}
    by_route = {r.symbol: n.id for n in endpoint_nodes(d) for r in n.refs if r.kind == "route"}
    assert ("lambda_fn", by_route["POST /api/vm-logs"]) in callers
    assert ("client_vm", by_route["POST /vm_startup"]) in callers
    assert ("client_vm", by_route["POST /api/vm-metrics/<hostname>"]) in callers
    assert ("user", by_route["POST /api/request_vm"]) in callers
    assert ("admin", by_route["POST /api/launch"]) in callers
    # the admin's pages call the public status/log GETs from JS
    assert ("admin", by_route["GET /api/vm-logs/<hostname>"]) in callers
    # the Lambda reaches nothing but its one callback
    assert {t for s, t in callers if s == "lambda_fn"} == {by_route["POST /api/vm-logs"]}


def test_postgres_is_in_the_allocator_container_not_rds(d):
    assert not any("rds" in n.label.lower() or "rds" in n.id for n in d.nodes)
    pg = d.node("postgres")
    assert pg.kind == "database" and "in-container" in pg.label
    assert [g.id for g in d.group_path("postgres")] == ["allocator"]
    # every endpoint group touches the database except the pure admin-credential box
    writers = {s.source for s in d.steps if s.target == "postgres"}
    assert writers == {n.id for n in endpoint_nodes(d)} - {"ep_admin_aws"}


def test_external_calls_leave_from_the_right_boxes(d):
    by_route = {r.symbol: n.id for n in endpoint_nodes(d) for r in n.refs if r.kind == "route"}
    ops = by_route["POST /api/launch"]
    assert by_route["POST /destroy"] == ops == by_route["GET /api/scp-client"]
    edges = {(s.source, s.target): s for s in d.steps}
    assert edges[(ops, "terraform")].kind == "subprocess"
    assert edges[(ops, "ssh_rsync")].kind == "subprocess"
    assert "sequential" in edges[(ops, "ssh_rsync")].label  # not parallel (spec error 11)
    assert (by_route["POST /api/admin/set-aws-credentials"], "aws") in edges  # STS
    # terraform runs inside the allocator container, not as a separate cluster
    assert [g.id for g in d.group_path("terraform")] == ["allocator"]


def test_no_alb_no_invented_timings(d):
    text = " ".join([n.label for n in d.nodes] + [s.label for s in d.steps] + [nt.text for nt in d.notes])
    assert "ALB" not in text and "105" not in text


def test_every_node_and_step_is_cited_and_numbered(d):
    for n in d.nodes:
        assert n.external or n.refs, n.id
    for s in d.steps:
        assert s.refs, s.number
    assert [s.number for s in d.steps] == list(range(1, len(d.steps) + 1))
    assert 12 <= len(d.nodes) <= 16


def _routes_in_source() -> dict[tuple[str, str], bool]:
    text = subprocess.run(
        ["git", "-C", str(MIRROR), "show",
         "d3b6b02:packages/allocator/src/lablink_allocator_service/main.py"],
        capture_output=True, text=True, check=True).stdout
    found = {}
    for m in re.finditer(r'@app\.route\("([^"]+)"(?:,\s*methods=\[([^\]]*)\])?\)\n(@auth\.login_required\n)?', text):
        for method in re.findall(r'"(\w+)"', m.group(2) or '"GET"'):
            found[(method, m.group(1))] = bool(m.group(3))
    return found


@pytest.mark.skipif(not MIRROR.exists(), reason="no lablink mirror on this machine")
def test_routes_match_main_py_at_baseline_both_ways(d):
    source = _routes_in_source()
    routes = modelled_routes(d)
    assert set(routes) == set(source)
    for key, needs_auth in source.items():
        assert routes[key] == ("authenticated" if needs_auth else "public"), key
