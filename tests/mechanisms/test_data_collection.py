"""Facts the data-collection diagram must state (fact sheet §3 Diagram 9, §1.11)."""

from __future__ import annotations

import pytest

from lablink_diagrams.mechanisms import load


@pytest.fixture(scope="module")
def d():
    return load("data-collection")


def steps_between(d, source, target):
    return [s for s in d.steps if s.source == source and s.target == target]


def first_step(d, predicate):
    return next(s for s in d.steps if predicate(s))


def vm_loop(d):
    (loop,) = [f for f in d.fragments if f.kind == "loop" and "each VM" in f.sections[0].label]
    return loop


def fragments_holding(d, number):
    return [f for f in d.fragments if f.first <= number <= f.last]


# -- corrected spec errors: GET, sequential ----------------------------------------------------

def test_button_fetch_is_a_get_to_scp_client(d):
    (call,) = steps_between(d, "delete_page", "download")
    assert "GET" in call.label and "POST" not in call.label
    assert "/api/scp-client" in call.label
    assert any(r.kind == "route" and r.symbol == "GET /api/scp-client" for r in call.refs)
    assert any(r.kind == "html" and r.symbol == "fetch(/api/scp-client)" for r in call.refs)
    assert call.blocking


def test_route_requires_basic_auth(d):
    assert d.node("download").description.startswith("authenticated")


def test_per_vm_work_is_a_sequential_loop_never_par(d):
    assert not any(f.kind == "par" for f in d.fragments), "the VMs are visited one after another"
    ssh_steps = [s for s in d.steps if s.target in ("vm_host", "container") and s.source == "download"]
    assert ssh_steps
    loop = vm_loop(d)
    assert all(loop.first <= s.number <= loop.last for s in ssh_steps)
    label = loop.sections[0].label.lower()
    assert "after another" in label or "sequential" in label


def test_docker_cp_is_one_ssh_per_file_inside_the_vm_loop(d):
    cp = first_step(d, lambda s: "docker cp" in s.label and s.source == "container")
    loops = [f for f in fragments_holding(d, cp.number) if f.kind == "loop"]
    assert len(loops) == 2
    inner = min(loops, key=lambda f: f.last - f.first)
    assert "each file" in inner.sections[0].label
    outer = vm_loop(d)
    assert outer.first < inner.first and inner.last < outer.last


# -- order of the work ---------------------------------------------------------------------------

def test_terraform_outputs_come_before_any_ssh(d):
    tf = first_step(d, lambda s: s.source == "download" and s.target == "terraform")
    assert tf.kind == "subprocess"
    assert "vm_public_ips" in tf.label
    assert any(r.symbol == "output.lablink_private_key_pem" for r in tf.refs)
    key = next(s for s in d.steps if s.reply_to == tf.number)
    assert "/tmp/lablink_key.pem" in key.label and "400" in key.label
    first_ssh = first_step(d, lambda s: s.source == "download" and s.target in ("vm_host", "container"))
    assert tf.number < key.number < first_ssh.number


def test_find_then_docker_cp_then_ls_then_rsync(d):
    find = first_step(d, lambda s: "find" in s.label and s.target == "container")
    assert "docker exec" in find.label
    cp = first_step(d, lambda s: "docker cp" in s.label and s.source == "container")
    assert "extracted_files" in cp.label and cp.target == "vm_host"
    ls = first_step(d, lambda s: "has_files" in s.label)
    assert "ls" in ls.label.split()
    rsync = first_step(d, lambda s: "rsync" in s.label)
    assert "-avz" in rsync.label and "pull" in rsync.label
    assert find.number < cp.number < ls.number < rsync.number
    into_tmp = first_step(d, lambda s: s.target == "tempdir")
    assert into_tmp.number == rsync.number + 1


def test_branches_skip_vms_without_files_and_rsync_only_if_has_files(d):
    cp = first_step(d, lambda s: "docker cp" in s.label and s.source == "container")
    rsync = first_step(d, lambda s: "rsync" in s.label)
    opts_cp = [f for f in fragments_holding(d, cp.number) if f.kind == "opt"]
    opts_rsync = [f for f in fragments_holding(d, rsync.number) if f.kind == "opt"]
    assert len(opts_cp) == 1 and "files found" in opts_cp[0].sections[0].label
    assert len(opts_rsync) == 2, "rsync is nested: files found > has_files"
    inner = min(opts_rsync, key=lambda f: f.last - f.first)
    assert "has_files" in inner.sections[0].label


def test_zip_send_file_and_cleanup_after_the_loop(d):
    loop = vm_loop(d)
    zip_write, cleanup = steps_between(d, "download", "zip_file")
    assert "zip" in zip_write.label and "remove" in cleanup.label
    assert "after_this_request" in cleanup.label
    (send,) = steps_between(d, "download", "delete_page")
    assert send.kind == "response" and send.reply_to == 2 and "send_file" in send.label
    assert loop.last < zip_write.number < send.number < cleanup.number


def test_nested_files_caveat_is_stated_as_code_reading(d):
    ls = first_step(d, lambda s: "has_files" in s.label)
    assert "top level" in ls.label
    notes = [n.text for n in d.notes if n.step == ls.number]
    assert any("not observed at runtime" in t and "docker cp" in t and "nested" in t for t in notes)


def test_files_land_on_the_host_not_in_the_container_before_rsync(d):
    paths = [g.id for g in d.group_path("vm_host")]
    assert paths == ["client_vm"]
    assert "/home/ubuntu/extracted_files" in d.node("vm_host").label
    assert "/home/client/Desktop" in d.node("container").label
