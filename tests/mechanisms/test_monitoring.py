"""Facts the monitoring diagram must state (fact sheet §3 Diagram 8, §1.10)."""

from __future__ import annotations

import pytest

from lablink_diagrams.mechanisms import load


@pytest.fixture(scope="module")
def d():
    return load("monitoring")


def steps_between(d, source, target):
    return [s for s in d.steps if s.source == source and s.target == target]


def enclosing(d, number, kind):
    """Fragments of ``kind`` whose span holds step ``number``, innermost first."""
    found = [f for f in d.fragments if f.kind == kind and f.first <= number <= f.last]
    return sorted(found, key=lambda f: f.last - f.first)


def section_of(fragment, number):
    return next(sec for sec in fragment.sections if sec.first <= number <= sec.last)


def group_ids(d, node_id):
    return [g.id for g in d.group_path(node_id)]


# -- A. lifecycle status: one-shot from cloud-init, not a container service ----------------------

def test_status_comes_from_cloud_init_on_the_host_not_the_container(d):
    senders = {s.source for s in d.steps if s.target == "r_status"}
    assert senders == {"cloud_init"}
    assert group_ids(d, "cloud_init") == ["client_vm"], "cloud-init runs on the VM host"
    assert any(r.symbol == "send_status" and r.kind == "shell" for r in d.node("cloud_init").refs)


def test_status_is_one_shot_initializing_then_running_or_error(d):
    posts = steps_between(d, "cloud_init", "r_status")
    assert len(posts) == 2
    assert "initializing" in posts[0].label
    assert "running" in posts[1].label and "error" in posts[1].label
    for p in posts:
        assert not any(f.kind == "loop" and f.first <= p.number <= f.last for f in d.fragments), \
            "status is not polled in a loop"
        assert not any(f.kind == "par" and f.first <= p.number <= f.last for f in d.fragments), \
            "status is not a concurrent container service"


def test_status_is_upserted(d):
    assert all("upsert" in s.label for s in steps_between(d, "r_status", "vms"))


# -- B./C. the two container monitors: par of loops of opts -------------------------------------

@pytest.mark.parametrize("post_src,route,column", [
    ("check_gpu", "r_gpu", "healthy"),
    ("inuse", "r_inuse", "inuse"),
])
def test_monitor_posts_only_on_change_inside_a_20s_loop_inside_par(d, post_src, route, column):
    (post,) = steps_between(d, post_src, route)
    (write,) = steps_between(d, route, "vms")
    assert column in write.label
    opt = enclosing(d, post.number, "opt")[0]
    assert opt.first <= write.number <= opt.last, "the DB write is part of the on-change branch"
    assert "change" in opt.sections[0].label
    loop = enclosing(d, post.number, "loop")[0]
    assert "20 s" in loop.sections[0].label
    assert loop.first <= opt.first and opt.last <= loop.last
    par = enclosing(d, post.number, "par")[0]
    assert par.first <= loop.first and loop.last <= par.last
    assert section_of(par, loop.first) is section_of(par, loop.last), "each loop sits in one par branch"


def test_gpu_and_inuse_loops_are_concurrent_branches_of_one_par(d):
    (gpu_post,) = steps_between(d, "check_gpu", "r_gpu")
    (inuse_post,) = steps_between(d, "inuse", "r_inuse")
    par_g = enclosing(d, gpu_post.number, "par")[0]
    par_i = enclosing(d, inuse_post.number, "par")[0]
    assert par_g is par_i
    assert section_of(par_g, gpu_post.number) is not section_of(par_g, inuse_post.number)


def test_check_gpu_runs_nvidia_smi_and_stops_after_na(d):
    (run,) = steps_between(d, "check_gpu", "nvidia_smi")
    assert run.kind == "subprocess"
    (res,) = steps_between(d, "nvidia_smi", "check_gpu")
    assert res.kind == "response" and res.reply_to == run.number
    for value in ("Healthy", "Unhealthy", "N/A"):
        assert value in res.label
    loop = enclosing(d, run.number, "loop")[0]
    assert "N/A" in loop.sections[0].label
    assert any(n.step == res.number and "exits" in n.text for n in d.notes)


def test_inuse_scans_processes_with_psutil(d):
    (scan,) = steps_between(d, "inuse", "software")
    assert "psutil" in scan.label
    assert any("psutil.process_iter" in r.symbol for r in scan.refs)


def test_only_two_monitors_and_subscribe_is_named_as_not_one(d):
    container = next(g for g in d.groups if g.id == "client_container")
    monitors = [n for n in container.nodes if "every 20 s" in d.node(n).label]
    assert sorted(monitors) == ["check_gpu", "inuse"]
    assert "subscribe" not in {n.id for n in d.nodes}
    assert any("subscribe" in n.text and "not a monitor" in n.text for n in d.notes)


def test_monitor_writes_land_in_the_three_columns(d):
    fields = {f.name for f in d.node("vms").fields}
    assert fields == {"Status", "Healthy", "InUse"}
    # PostgreSQL runs in the allocator container (fact sheet §1.10: no RDS); the table is
    # named with it rather than framed alone, where every flow into it struck the title
    assert group_ids(d, "vms") == ["allocator_ec2", "allocator_container"]
    assert d.node("vms").label.startswith("PostgreSQL")


# -- consumers ------------------------------------------------------------------------------------

def test_consumers_dashboard_instances_and_index_poll(d):
    (dash,) = steps_between(d, "dashboard", "r_all_status")
    assert dash.label.startswith("GET /api/vm-status")
    assert "5 s" in enclosing(d, dash.number, "loop")[0].sections[0].label
    (inst,) = steps_between(d, "admin", "r_instances")
    assert "Basic auth" in inst.label
    (idx,) = steps_between(d, "index", "r_count")
    assert "/api/unassigned_vms_count" in idx.label
    assert "5 s" in enclosing(d, idx.number, "loop")[0].sections[0].label
    (count,) = steps_between(d, "r_count", "vms")
    assert "status = 'running'" in count.label


def test_vm_endpoints_are_unauthenticated_and_admin_page_is_not(d):
    for nid in ("r_status", "r_gpu", "r_inuse"):
        assert d.node(nid).description.startswith("public")
    assert d.node("r_instances").description.startswith("authenticated")
