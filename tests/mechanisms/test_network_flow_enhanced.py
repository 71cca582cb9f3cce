"""Facts the network-flow-enhanced diagram must state (fact sheet §3 Diagram 7, §1.12, §1.13)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from lablink_diagrams.mechanisms import load

MIRRORS = {
    "lablink": (Path("/work/.mirror/talmolab+lablink/repo"), "d3b6b02"),
    "lablink-template": (Path("/work/.mirror/talmolab+lablink-template/repo"), "3c2808a"),
}


@pytest.fixture(scope="module")
def d():
    return load("network-flow-enhanced")


def steps_between(d, source, target):
    return [s for s in d.steps if s.source == source and s.target == target]


def one_step(d, source, target):
    found = steps_between(d, source, target)
    assert len(found) == 1, f"expected one step {source} -> {target}, found {len(found)}"
    return found[0]


def group_ids(d, node_id):
    return [g.id for g in d.group_path(node_id)]


def all_text(d):
    parts = [d.title, d.description]
    parts += [f"{n.label} {n.description}" for n in d.nodes]
    parts += [g.title for g in d.groups]
    parts += [f"{s.label} {s.protocol} {s.payload} {s.description}" for s in d.steps]
    return "\n".join(parts)


# -- corrected spec errors (§1.12) ------------------------------------------------------------

def test_no_rds_alb_or_acm_component(d):
    """No RDS database, no load balancer, no ACM certificate is drawn: none existed at the baseline."""
    text = all_text(d)
    for word in ("RDS", "ALB", "ACM", "load balancer", "Load Balancer"):
        assert word not in text, f"{word!r} appears in a node, group or step"
    assert not any("alb.tf" in r.path for n in d.nodes for r in n.refs)
    assert not any("alb.tf" in r.path for s in d.steps for r in s.refs)


def test_postgres_is_in_the_allocator_container_on_localhost(d):
    assert group_ids(d, "postgres") == ["allocator_ec2", "allocator_container"]
    hop = one_step(d, "flask", "postgres")
    assert "localhost:5432" in d.node("postgres").label  # the port on the node; the edge says SQL
    assert "SQL" in hop.label and "in-container" in hop.protocol


def test_caddy_always_on_the_host_in_front_of_loopback_flask(d):
    caddy = d.node("caddy")
    assert group_ids(d, "caddy") == ["allocator_ec2"], "Caddy runs on the host, outside the container"
    assert "optional" not in (caddy.label + caddy.description).lower()
    assert "always" in caddy.description.lower()
    assert "127.0.0.1:5000" in d.node("flask").label
    hop = one_step(d, "caddy", "flask")
    assert "localhost:5000" in caddy.label and hop.label == "HTTP"  # the port on both nodes, the protocol on the hop
    # nothing reaches Flask except through Caddy ("None: direct 80 -> 5000" is wrong at the baseline)
    assert {s.source for s in d.steps if s.target == "flask"} == {"caddy"}


def test_ssl_note_uses_the_baseline_schema_and_staging_switch(d):
    note = next(n.text for n in d.notes if n.node == "caddy")
    assert "letsencrypt | cloudflare | none" in note
    assert "acm" not in note.lower()
    assert "staging" in note and "HTTP only" in note
    assert "no template handling" in note.lower(), "Cloudflare is an external proxy without template handling"


# -- hops, ports and protocols ----------------------------------------------------------------

def test_route53_lookup_is_conditional(d):
    hop = one_step(d, "user", "route53")
    assert "53" in hop.protocol and "TTL 300" in hop.payload
    assert any(f.kind == "opt" and f.first <= hop.number <= f.last for f in d.fragments)


def test_security_group_opens_22_80_443_to_everyone(d):
    label = d.node("eip_sg").label
    for port in ("22", "80", "443"):
        assert re.search(rf"\b{port}\b", label)
    assert "0.0.0.0/0" in label


def test_all_inbound_http_enters_through_the_eip_gate(d):
    """Browsers, cloud-init, client services and the Lambda all hit the EIP/SG, then Caddy."""
    assert {s.source for s in d.steps if s.target == "eip_sg"} == {
        "user", "client_host", "client_services", "lambda_fn"}
    assert one_step(d, "eip_sg", "caddy")


def test_allocator_reaches_client_vms_by_ssh_22_with_terraform_key(d):
    hop = one_step(d, "flask", "client_host")
    assert "SSH 22" in hop.label and "Terraform" in hop.label
    assert "rsync" in hop.payload and "docker exec" in hop.payload
    assert "SSH 22 only" in d.node("client_host").label
    assert any(r.symbol == "tls_private_key.lablink_key" for r in hop.refs)
    # the allocator is the only outside party that opens a connection into a client VM
    inbound = {s.source for s in d.steps if s.target in ("client_host", "client_services")}
    assert inbound == {"flask", "client_host"}, inbound
    assert one_step(d, "client_host", "client_services").kind == "subprocess"


def test_client_container_shares_the_host_network(d):
    assert "--network host" in one_step(d, "client_host", "client_services").label
    # the container's one node is named for it rather than framed alone (a frame as wide
    # as its node had its title struck by the docker-run edge in every backend)
    assert group_ids(d, "client_services") == ["client_vm"]
    assert d.node("client_services").label.startswith("client container:")


def test_client_vms_call_back_over_http_or_https(d):
    for src in ("client_host", "client_services"):
        hop = one_step(d, src, "eip_sg")
        assert "HTTP 80 / HTTPS 443" in hop.protocol
    assert "/vm_startup" in one_step(d, "client_services", "eip_sg").payload
    assert "/api/vm-status" in one_step(d, "client_host", "eip_sg").label


def test_log_path_cloudwatch_lambda_plain_http_without_auth(d):
    assert "agent" in one_step(d, "client_host", "cw_logs").label
    assert "watchtower" in one_step(d, "client_services", "cw_logs").label, "second log source"
    invoke = one_step(d, "cw_logs", "lambda_fn")
    assert "AWS-internal" in invoke.protocol
    assert "gzip" in invoke.payload and "base64" in invoke.payload
    post = one_step(d, "lambda_fn", "eip_sg")
    assert "HTTP 80" in post.label and "HTTPS" not in post.label
    assert "no auth" in post.label
    assert "no scheme" in post.protocol
    assert any(r.repo == "lablink-template" and r.symbol.endswith(":API_ENDPOINT") for r in post.refs)


def test_allocator_calls_aws_apis_with_terraform_and_boto3(d):
    hop = one_step(d, "flask", "aws_apis")
    assert "Terraform" in hop.label and "boto3" in hop.label
    assert "DynamoDB" in hop.payload and "S3" in hop.payload
    assert d.node("aws_apis").external


def test_google_crd_is_external_outbound_only_without_invented_ports(d):
    assert d.node("google_crd").external
    hop = one_step(d, "client_services", "google_crd")
    assert "outbound" in hop.label
    assert not re.search(r"\d", hop.label + hop.protocol), "CRD ports/protocol are not in the code"
    assert "WebRTC" not in all_text(d)




@pytest.mark.skipif(not all(p.exists() for p, _ in MIRRORS.values()), reason="LabLink mirrors absent")
def test_every_ref_names_a_file_that_exists_at_the_baseline(d):
    refs = [r for n in d.nodes for r in n.refs] + [r for s in d.steps for r in s.refs]
    refs += [r for g in d.groups for r in g.refs]
    for repo in {r.repo for r in refs}:
        path, commit = MIRRORS[repo]
        files = set(subprocess.run(["git", "-C", str(path), "ls-tree", "-r", "--name-only", commit],
                                   capture_output=True, text=True, check=True).stdout.split("\n"))
        for r in refs:
            if r.repo == repo:
                assert r.path in files, f"{repo}:{r.path} does not exist at {commit}"
