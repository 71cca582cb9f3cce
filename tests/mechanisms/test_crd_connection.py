"""CRD connection: the flow the spec drew backwards (fact sheet §1.1–1.5, §3 Diagram 3)."""

from lablink_diagrams import mechanisms
from lablink_diagrams.model import Step

D = mechanisms.load("crd-connection")


def step(text: str) -> Step:
    return next(s for s in D.steps if text in s.label)


def test_client_long_polls_before_any_user_action():
    poll = step("POST /vm_startup")
    assert poll.source == "subscribe" and poll.blocking and "604800" in poll.protocol
    first_user = min(s.number for s in D.steps if "user" in (s.source, s.target))
    assert poll.number < first_user


def test_only_the_allocator_listens_on_its_own_connection():
    listen = step("LISTEN")
    assert listen.source == "listener"
    assert [g.id for g in D.group_path("listener")][:2] == ["allocator_ec2", "allocator_container"]
    assert "own" in D.node("listener").label


def test_trigger_chain_order_and_names():
    chain = [step("assign_vm"), step("fires AFTER INSERT OR UPDATE OF CrdCommand"), step("EXECUTE FUNCTION"), step("pg_notify")]
    assert [s.number for s in chain] == sorted(s.number for s in chain)
    assert [(s.source, s.target) for s in chain] == [
        ("request_vm", "vms_table"), ("vms_table", "trigger"), ("trigger", "notify_fn"), ("notify_fn", "channel")]
    assert D.node("trigger").label.startswith("trigger_crd_command_insert_or_update")


def test_notify_unblocks_the_allocator_which_answers_the_client():
    wake = step("NOTIFY delivered")
    assert (wake.source, wake.target) == ("channel", "listener")
    reply = step("HTTP 200")
    assert (reply.source, reply.target) == ("vm_startup", "subscribe")
    assert reply.reply_to == step("POST /vm_startup").number
    assert reply.number > wake.number


def test_client_runs_the_crd_host_after_the_reply():
    run = step("start-host")
    assert run.kind == "subprocess" and run.source == "connect_crd"
    assert run.number > step("HTTP 200").number


def test_pin_is_not_entered_by_the_user_into_lablink():
    assert not any(s.source == "user" and "PIN" in s.label and s.target != "google_crd" for s in D.steps)


def test_google_is_external_and_every_element_cited():
    assert D.node("google_crd").external
    assert all(n.refs for n in D.nodes if not n.external)
    assert all(s.refs for s in D.steps)
    assert [s.number for s in D.steps] == list(range(1, len(D.steps) + 1))
