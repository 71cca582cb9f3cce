"""Facts the logging-pipeline diagram must state (fact sheet §3 Diagram 4, §1.13, §1.14)."""

from __future__ import annotations

import pytest

from lablink_diagrams.mechanisms import load


@pytest.fixture(scope="module")
def d():
    return load("logging-pipeline")


def between(d, source, target):
    return [s for s in d.steps if s.source == source and s.target == target]


def one(d, source, target):
    found = between(d, source, target)
    assert len(found) == 1, f"expected one step {source} -> {target}, got {len(found)}"
    return found[0]


def groups(d, node_id):
    return [g.id for g in d.group_path(node_id)]


def test_two_sources_write_the_same_log_group(d):
    writers = {s.source for s in d.steps if s.target == "log_group"}
    assert writers == {"cw_agent", "watchtower"}, "agent (cloud-init log) and watchtower (client services)"
    assert groups(d, "cw_agent") == ["client_vm"], "the agent runs on the VM host"
    assert groups(d, "watchtower") == ["client_vm", "client_container"], "watchtower runs in the container"
    assert "VM_NAME" in one(d, "watchtower", "log_group").label, "same stream: the VM name"
    # the two paths run concurrently, not one after the other
    agent, tower = one(d, "cw_agent", "log_group").number, one(d, "watchtower", "log_group").number
    par = [f for f in d.fragments if f.kind == "par" and f.first <= min(agent, tower) and max(agent, tower) <= f.last]
    assert par and len({sec.label for sec in par[0].sections
                         if sec.first <= agent <= sec.last or sec.first <= tower <= sec.last}) == 2


def test_agent_tails_the_cloud_init_output_log(d):
    assert "cloud-init-output.log" in d.node("log_file").label
    assert one(d, "cw_agent", "log_file").kind == "read"
    install = one(d, "cloud_init", "cw_agent")
    assert install.number < one(d, "cw_agent", "log_group").number
    assert any(r.symbol == "amazon-cloudwatch-agent-ctl" for r in install.refs)


def test_log_group_is_the_template_resource_with_the_env_suffix(d):
    g = d.node("log_group")
    assert "lablink-cloud-init-{env}" in g.label
    assert any(r.repo == "lablink-template" and r.symbol == "aws_cloudwatch_log_group.client_vm_logs" for r in g.refs)
    assert groups(d, "log_group") == ["aws"]


def test_subscription_filter_passes_all_events_to_the_lambda(d):
    assert 'pattern ""' in d.node("sub_filter").label and "all events" in d.node("sub_filter").label
    hop = one(d, "log_group", "sub_filter")
    invoke = one(d, "sub_filter", "lambda_fn")
    assert hop.number < invoke.number
    assert any(r.symbol.endswith(":filter_pattern") for r in hop.refs)
    assert any(r.path.endswith("lambda_function.py") and r.repo == "lablink-template"
               for r in d.node("lambda_fn").refs), "lambda_function.py lives in lablink-template"


def test_lambda_posts_over_plain_http_without_auth_via_caddy(d):
    post = one(d, "lambda_fn", "r_post")
    assert post.label.startswith("POST /api/vm-logs")
    assert "no scheme" in post.protocol and "http://" in post.protocol and "80" in post.protocol
    assert "no auth" in post.protocol
    for key in ("log_group", "log_stream", "messages"):
        assert key in post.label
    assert any(r.symbol.endswith(":API_ENDPOINT") for r in post.refs)
    # Caddy on the allocator host proxies :80 to the container's 127.0.0.1:5000, for every request here
    assert "Caddy" in post.protocol and "localhost:5000" in post.protocol
    assert any(r.symbol == "reverse_proxy localhost:5000" for r in post.refs)
    for s in d.steps:
        if s.kind == "request" and s.target in ("r_post", "r_admin", "r_get"):
            assert "via Caddy" in s.protocol, s.number
    assert any(r.symbol == "docker run -d -p 127.0.0.1:5000:5000"
               for g in d.groups if g.id == "allocator_container" for r in g.refs)


def test_receive_checks_the_row_then_rewrites_the_whole_logs_text(d):
    exists, write = between(d, "r_post", "vms_logs")
    assert "vm_exists" in exists.label and exists.number < write.number
    assert "save_logs_by_hostname" in write.label and write.kind == "write"
    alt = next(f for f in d.fragments if f.kind == "alt" and f.first <= write.number <= f.last)
    codes = [s.label for s in between(d, "r_post", "lambda_fn")]
    assert any("400" in c and "404" in c for c in codes) and any(c.startswith("200") for c in codes)
    assert len(alt.sections) == 2
    assert groups(d, "vms_logs") == ["allocator_container"] and "PostgreSQL (in-container)" in d.node("vms_logs").label


def test_lambda_raises_on_non_200(d):
    post = one(d, "lambda_fn", "r_post")
    errors = [s for s in between(d, "r_post", "lambda_fn") if not s.label.startswith("200")]
    assert len(errors) == 1 and errors[0].kind == "response" and errors[0].reply_to == post.number
    assert "Lambda raises" in errors[0].label
    assert any(r.symbol == "lambda_handler:RuntimeError" for r in errors[0].refs)


def test_admin_page_is_authenticated_but_the_polled_api_is_public(d):
    page = one(d, "browser", "r_admin")
    assert "Basic auth" in page.label and "/admin/logs/<hostname>" in page.label
    assert d.node("r_admin").description.startswith("authenticated")
    poll = one(d, "browser", "r_get")
    assert one(d, "r_admin", "browser").label == "renders instance-logs.html"
    assert poll.label.startswith("GET /api/vm-logs/<hostname>") and "public" in poll.label
    assert d.node("r_get").description.startswith("public")
    assert page.number < poll.number
    loop = [f for f in d.fragments if f.kind == "loop" and f.first <= poll.number <= f.last]
    assert loop and "5 s" in loop[0].sections[0].label


def test_503_while_the_agent_installs_is_an_alt_branch_inside_the_poll(d):
    replies = between(d, "r_get", "browser")
    r503 = next(s for s in replies if s.label.startswith("503"))
    assert "VM is installing CloudWatch agent." in r503.label
    alt = next(f for f in d.fragments if f.kind == "alt" and f.first <= r503.number <= f.last)
    cond = next(sec for sec in alt.sections if sec.first <= r503.number <= sec.last).label
    assert "NULL" in cond and "initializing" in cond
    assert any(s.label.startswith("200") for s in replies if s is not r503)
    loop = next(f for f in d.fragments if f.kind == "loop")
    assert loop.first <= alt.first and alt.last <= loop.last


def test_logs_are_read_from_postgres_not_cloudwatch(d):
    assert not between(d, "r_get", "log_group") and not between(d, "browser", "log_group")
    assert between(d, "r_get", "vms_logs")


def test_no_spec_leftovers_and_every_element_cited(d):
    labels = " ".join(n.label for n in d.nodes).lower()
    assert "rds" not in labels and "alb" not in labels and "log_shipper" not in labels
    assert all(n.refs for n in d.nodes if not n.external)
    assert all(s.refs for s in d.steps)
    assert [s.number for s in d.steps] == list(range(1, len(d.steps) + 1))
    assert d.priority == "essential" and set(d.views) == {"architecture", "sequence"}
