"""System overview: the corrected topology (fact sheet §1.12, §3 Diagram 1)."""

from lablink_diagrams import mechanisms

D = mechanisms.load("main")


def test_postgres_and_terraform_run_inside_the_allocator_container():
    for node in ("postgres", "terraform", "flask"):
        assert [g.id for g in D.group_path(node)] == ["aws", "allocator_ec2", "allocator_container"]
    assert "in-container" in D.node("postgres").label


def test_no_rds_no_alb_no_acm():
    text = " ".join(n.label + n.description for n in D.nodes).lower()
    for absent in ("rds", "alb", "load balancer", "acm"):
        assert absent not in text


def test_caddy_is_the_single_ingress():
    inbound = {s.source for s in D.steps if s.target == "flask"}
    assert inbound == {"caddy"}
    external_callers = {s.source for s in D.steps if s.target == "caddy"}
    assert external_callers == {"admin", "user", "client_vm", "lambda"}


def test_clients_never_reach_postgres():
    assert not [s for s in D.steps if s.target == "postgres" and s.source != "flask"]


def test_google_is_external_and_logs_reach_the_allocator_through_lambda():
    assert D.node("google_crd").external
    assert [s.source for s in D.steps if s.target == "lambda"] == ["cw_logs"]
    assert any(s.source == "lambda" and "/api/vm-logs" in s.label for s in D.steps)


def test_every_element_cited_and_steps_continuous():
    assert all(n.refs for n in D.nodes if not n.external)
    assert all(s.refs for s in D.steps)
    assert [s.number for s in D.steps] == list(range(1, len(D.steps) + 1))
