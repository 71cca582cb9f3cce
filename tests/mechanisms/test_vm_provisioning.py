"""Facts the vm-provisioning diagram must state (fact sheet §3 Diagram 2, §1.6–1.9)."""

from __future__ import annotations

import pytest

from lablink_diagrams.mechanisms import load


@pytest.fixture(scope="module")
def d():
    return load("vm-provisioning")


def between(d, source, target):
    return [s for s in d.steps if s.source == source and s.target == target]


def step(d, text):
    found = [s for s in d.steps if text in s.label]
    assert len(found) == 1, f"{text!r}: {len(found)} steps"
    return found[0]


def groups(d, node_id):
    return [g.id for g in d.group_path(node_id)]


def test_terraform_is_a_subprocess_inside_the_allocator_container(d):
    assert groups(d, "terraform") == ["allocator_container"]
    assert any(r.symbol == "aws_instance.lablink_allocator_server"
               for g in d.groups if g.id == "allocator_container" for r in g.refs), "the container runs on the allocator EC2"
    apply = step(d, "terraform apply")
    assert (apply.source, apply.kind, apply.blocking) == ("fleet", "subprocess", True)
    assert "-auto-approve" in apply.payload and "instance_count" in apply.label
    assert "/api/launch" in d.node("fleet").label
    assert "1.4.6" in d.node("terraform").label
    assert not any("terraform" in g.id for g in d.groups), "no separate Terraform service/cluster"


def test_launch_order_before_apply(d):
    count, gpu, tfvars, apply = (step(d, "get_row_count"), step(d, "describe_instance_types"),
                                 step(d, "terraform.runtime.tfvars"), step(d, "terraform apply"))
    assert count.number < gpu.number < tfvars.number < apply.number
    assert "num_vms + rows" in count.label
    assert d.node(gpu.target).external, "AWS's EC2 API is external; only the boto3 call is code"
    assert step(d, "POST /api/launch").source == "admin" and step(d, "POST /api/launch").number == 1
    assert "check_support_nvidia" in gpu.protocol


def test_after_apply_upload_then_timing_upsert_of_ec2_creation_time(d):
    apply, upload = step(d, "terraform apply"), step(d, "upload_to_s3")
    output, timing = step(d, "terraform output -json"), step(d, "update_terraform_timing")
    assert apply.number < upload.number < output.number < timing.number
    assert upload.target == "state" and output.kind == "subprocess"
    assert "upsert" in timing.label and timing.target == "vms"
    notes = [n.text for n in d.notes if n.step == timing.number]
    assert any("EC2 creation" in t and "not time to cloud-init" in t for t in notes)


def test_initializing_is_first_and_creates_the_row_by_upsert(d):
    posts = [s for s in between(d, "cloud_init", "vm_api") if s.label.startswith("vm-status")]
    assert "initializing" in posts[0].label and "/api/vm-status" in posts[0].protocol
    first_vm_step = min(s.number for s in d.steps if s.source == "cloud_init")
    assert posts[0].number == first_vm_step, "initializing is sent before the agent is installed"
    upsert = next(s for s in d.steps if s.number == posts[0].number + 1)
    assert upsert.target == "vms" and "upsert" in upsert.label and "may create the row" in upsert.label
    # either the VM's first status or the Terraform timing creates the row, whichever comes first
    assert any("upsert race" in n.text for n in d.notes if n.step == upsert.number)
    assert not any("insert_vm" in s.label for s in d.steps)


def test_user_data_phases_in_order_and_labelled(d):
    agent, gpu, pull, run = (step(d, "phase 1:"), step(d, "phase 2: GPU"), step(d, "docker pull"),
                             step(d, "docker run"))
    assert agent.number < gpu.number < pull.number < run.number
    assert agent.target == "cw_agent" and "--network host" in run.protocol
    assert run.target == "start_sh" and run.kind == "async", "docker run -dit starts the container and returns"
    assert any("user_data" in n.text and "not the DB timing phases" in n.text for n in d.notes)


def test_running_is_sent_right_after_docker_run_concurrently_with_start_sh(d):
    run, running = step(d, "docker run"), step(d, "vm-status: running")
    clone, services = step(d, "git clone"), step(d, "3 services")
    assert run.number < running.number and running.source == "cloud_init"
    par = next(f for f in d.fragments if f.kind == "par" and f.first == running.number)
    sec_running = next(s for s in par.sections if s.first <= running.number <= s.last)
    sec_container = next(s for s in par.sections if s.first <= services.number <= s.last)
    assert sec_running != sec_container and sec_container.first <= clone.number
    assert any("before start.sh" in n.text for n in d.notes if n.step == running.number)


def test_vm_metrics_is_posted_exactly_twice_cloud_init_then_start_sh(d):
    posts = [s for s in d.steps if s.label.startswith("vm-metrics")]
    assert [p.source for p in posts] == ["cloud_init", "start_sh"]
    assert all(p.target == "vm_api" and "/api/vm-metrics/<hostname>" in p.protocol for p in posts)
    assert "cloud_init_start" in posts[0].payload and "container_start_time" in posts[1].payload
    statuses = [s for s in d.steps if s.label.startswith("vm-status")]
    assert len(statuses) == 2 and all("/api/vm-status" in s.protocol for s in statuses), "statuses go to /api/vm-status"
    assert "/api/vm-metrics/<hostname>" in d.node("vm_api").label and "/api/vm-status" in d.node("vm_api").label


def test_container_times_never_stored_and_total_only_when_all_three(d):
    store = [s for s in d.steps if s.source == "vm_api" and s.target == "vms" and "DB phase" in s.label]
    assert len(store) == 2
    last = store[-1]
    assert "duration only" in last.label and "only when all three" in last.description
    assert "container_start / container_end" in last.description
    assert any("never stored" in n.text for n in d.notes if n.step == last.number)


def test_dashboard_polls_get_vm_status_in_a_loop(d):
    poll = step(d, "GET /api/vm-status")
    assert poll.source == "admin" and poll.target == "vm_api" and "5 s" in poll.protocol
    assert any(f.kind == "loop" and f.first <= poll.number <= f.last for f in d.fragments)
    assert poll.number > step(d, "dashboard.html").number


def test_teardown_destroys_then_clears_the_database(d):
    destroy, tf, clear = step(d, "POST /destroy"), step(d, "terraform destroy"), step(d, "clear_database")
    assert destroy.number < tf.number < clear.number
    assert tf.source == "fleet" and tf.kind == "subprocess" and clear.target == "vms"
    assert "/destroy" in d.node("fleet").label and "-auto-approve" in tf.payload


def test_deployment_facts(d):
    assert groups(d, "vms") == ["allocator_container"]
    assert "PostgreSQL (in-container)" in d.node("vms").label
    assert ":22" in d.node("tf_resources").label
    assert "DynamoDB" in d.node("state").label
    labels = " ".join([n.label for n in d.nodes] + [s.label for s in d.steps]).lower()
    assert "rds" not in labels and "105" not in labels


def test_every_element_cited_and_numbered(d):
    assert all(n.refs for n in d.nodes if not n.external)
    assert all(s.refs for s in d.steps)
    assert [s.number for s in d.steps] == list(range(1, len(d.steps) + 1))
    assert len(d.nodes) <= 18
    assert d.priority == "essential" and set(d.views) == {"architecture", "sequence"}
