"""CRD connection: the client long-polls, the allocator LISTENs, a trigger NOTIFYs (fact sheet §3, Diagram 3).

The spec drew this backwards (client LISTENing on PostgreSQL).  At the baseline
the client never touches the database: ``subscribe`` blocks on ``POST /vm_startup``
before any user acts, and the allocator's request handler holds a dedicated
PostgreSQL connection that LISTENs until the trigger's ``pg_notify`` names its VM.
"""

from __future__ import annotations

from ..model import Diagram, Fragment, Group, Node, Note, Section, Step
from ._common import BASELINE, ref, route

_SQL = "A/generate_init_sql.py"
_DB = "A/database.py"


def build() -> Diagram:
    nodes = (
        Node("user", "User (browser)", "person",
             description="A researcher who wants a desktop on a client VM.",
             refs=(ref("A/templates/index.html", "form[action=/api/request_vm]", "html"),)),
        Node("index_form", "index.html form\nemail + CRD command", "page",
             refs=(ref("A/templates/index.html", "input[name=crd_command]", "html"), route("GET /"))),
        Node("request_vm", "submit_vm_details\nPOST /api/request_vm", "service",
             refs=(route("POST /api/request_vm"), ref("A/main.py", "submit_vm_details", "python"))),
        Node("vm_startup", "vm_startup\nPOST /vm_startup", "service",
             refs=(route("POST /vm_startup"), ref("A/main.py", "vm_startup", "python"))),
        Node("listener", "listen_for_notifications\n(own autocommit connection)", "process",
             refs=(ref(_DB, "PostgresqlDatabase.listen_for_notifications", "python"),)),
        Node("vms_table", "vms table\n(HostName, CrdCommand, Pin, ...)", "table",
             refs=(ref(_SQL, "statement CREATE TABLE", "sql"), ref("A/conf/config.yaml", "db.table_name", "config"))),
        Node("trigger", "trigger_crd_command_insert_or_update\nAFTER INSERT OR UPDATE OF CrdCommand", "trigger",
             refs=(ref(_SQL, "trigger trigger_crd_command_insert_or_update", "sql"),)),
        Node("notify_fn", "notify_crd_command_update()", "function",
             refs=(ref(_SQL, "function notify_crd_command_update", "sql"),)),
        Node("channel", "channel vm_updates", "queue",
             refs=(ref("A/conf/config.yaml", "db.message_channel", "config"),
                   ref("A/main.py", "MESSAGE_CHANNEL", "python"))),
        Node("subscribe", "subscribe\n(long-poll client)", "process",
             refs=(ref("C/subscribe.py", "subscribe", "python"), ref("packages/client/start.sh", "subscribe", "shell"))),
        Node("connect_crd", "connect_to_crd", "process",
             refs=(ref("C/connect_crd.py", "connect_to_crd", "python"),)),
        Node("crd_host", "CRD host (start-host)", "process",
             description="/opt/google/chrome-remote-desktop/start-host, run by connect_to_crd.",
             refs=(ref("C/connect_crd.py", "construct_command", "python"),)),
        Node("google_crd", "Google Chrome Remote Desktop", "external", external=True,
             description="Google's service; its protocol is not in LabLink's code."),
    )
    groups = (
        Group("allocator_ec2", "Allocator EC2", "host", groups=("allocator_container",),
              refs=(ref("TI/main.tf", "aws_instance.lablink_allocator_server", "terraform", repo="lablink-template"),)),
        Group("allocator_container", "allocator container (Flask)", "container",
              nodes=("index_form", "request_vm", "vm_startup", "listener"), groups=("postgres",)),
        Group("postgres", "PostgreSQL (in-container)", "cluster",
              nodes=("vms_table", "trigger", "notify_fn", "channel")),
        Group("client_vm", "Client VM", "vm", groups=("client_container",)),
        Group("client_container", "client container", "container",
              nodes=("subscribe", "connect_crd", "crd_host")),
        Group("google", "External (Google)", "external", nodes=("google_crd",)),
    )
    steps = (
        Step(1, "subscribe", "vm_startup", "POST /vm_startup {hostname}", "request",
             protocol="HTTP long-poll, read timeout 604800 s (7 days)", blocking=True,
             refs=(ref("C/subscribe.py", "subscribe:requests.post", "python"),
                   ref("C/subscribe.py", "subscribe:url", "python"))),
        Step(2, "vm_startup", "listener", "listen_for_notifications(vm_updates, hostname)", "request",
             blocking=True,
             refs=(ref("A/main.py", "vm_startup:listen_for_notifications", "python"),
                   ref("A/main.py", "vm_startup:get_vm_by_hostname", "python"))),
        Step(3, "listener", "channel", "LISTEN vm_updates", "sql",
             protocol="psycopg2, select() every 10 s, no overall timeout",
             refs=(ref(_DB, "statement LISTEN", "sql"),
                   ref(_DB, "PostgresqlDatabase.listen_for_notifications:select.select", "python"))),
        Step(4, "user", "google_crd", "get a one-time CRD command (--code=...)", "user",
             refs=(ref("A/main.py", "check_crd_input", "python"),)),
        Step(5, "user", "index_form", "GET / and fill in email + CRD command", "user",
             refs=(route("GET /"), ref("A/templates/index.html", "input[name=email]", "html"))),
        Step(6, "index_form", "request_vm", "POST /api/request_vm (email, crd_command)", "request",
             protocol="HTML form post", blocking=True,
             refs=(ref("A/templates/index.html", "form[action=/api/request_vm]", "html"),
                   route("POST /api/request_vm"))),
        Step(7, "request_vm", "vms_table", "assign_vm: UPDATE SET useremail, crdcommand, pin", "sql",
             payload="first row WHERE useremail IS NULL AND status = 'running'",
             refs=(ref("A/main.py", "submit_vm_details:assign_vm", "python"),
                   ref(_DB, "PostgresqlDatabase.assign_vm", "python"),
                   ref(_DB, "PostgresqlDatabase.get_first_available_vm", "python"))),
        Step(8, "vms_table", "trigger", "fires AFTER UPDATE OF CrdCommand, FOR EACH ROW", "trigger",
             refs=(ref(_SQL, "trigger trigger_crd_command_insert_or_update", "sql"),)),
        Step(9, "trigger", "notify_fn", "EXECUTE FUNCTION notify_crd_command_update()", "trigger",
             refs=(ref(_SQL, "function notify_crd_command_update", "sql"),)),
        Step(10, "notify_fn", "channel", "pg_notify(vm_updates, {HostName, CrdCommand, Pin})", "notify",
             refs=(ref(_SQL, "statement PERFORM", "sql"),)),
        Step(11, "channel", "listener", "NOTIFY delivered to the waiting connection", "notify",
             refs=(ref(_DB, "PostgresqlDatabase.listen_for_notifications:notifies.pop", "python"),)),
        Step(12, "listener", "vm_startup", "{status: success, pin, command} when HostName matches", "response",
             reply_to=2,
             refs=(ref(_DB, "PostgresqlDatabase.listen_for_notifications", "python"),)),
        Step(13, "vm_startup", "subscribe", "HTTP 200 {status, pin, command}", "response", reply_to=1,
             refs=(ref("A/main.py", "vm_startup:jsonify", "python"),)),
        Step(14, "request_vm", "index_form", "success.html (hostname, PIN)", "response", reply_to=6,
             refs=(ref("A/main.py", "submit_vm_details:render_template", "python"),
                   ref(_DB, "PostgresqlDatabase.get_vm_details", "python"))),
        Step(15, "subscribe", "connect_crd", "connect_to_crd(pin, command)", "request",
             refs=(ref("C/subscribe.py", "subscribe:connect_to_crd", "python"),)),
        Step(16, "connect_crd", "crd_host", "start-host --code=... --name=$VM_NAME, PIN twice on stdin",
             "subprocess",
             refs=(ref("C/connect_crd.py", "reconstruct_command", "python"),
                   ref("C/connect_crd.py", "connect_to_crd:subprocess.run", "python"))),
        Step(17, "crd_host", "google_crd", "register host with the user's Google account", "async",
             refs=(ref("C/connect_crd.py", "construct_command", "python"),)),
        Step(18, "user", "google_crd", "open remotedesktop.google.com/access, enter PIN", "user",
             refs=(ref("A/templates/success.html", "a[href=https://remotedesktop.google.com/access/]", "html"),)),
    )
    fragments = (
        Fragment("par", (Section(11, 13, "allocator wakes the waiting VM"),
                         Section(14, 14, "user's request returns"))),
    )
    notes = (
        Note("Started by the container's start.sh before any user acts; retries every 60 s after an error.",
             step=1),
        Note("One Flask thread and one PostgreSQL connection held per waiting VM.", node="listener"),
        Note("The trigger also fires on INSERT (status upsert); a null CrdCommand is ignored.", step=8),
        Note("Notifications for other hostnames are skipped.", step=12),
        Note("PIN is fixed by the allocator (main.py PIN), not entered by the user.", step=14),
    )
    return Diagram(
        name="crd-connection",
        title="CRD connection: long-poll + PostgreSQL LISTEN/NOTIFY",
        description=(
            "How a waiting client VM learns its user: the VM's subscribe process long-polls "
            "POST /vm_startup, the allocator LISTENs on vm_updates, and the user's form post "
            "updates the VM row, whose trigger calls pg_notify and releases the waiting request."
        ),
        priority="essential",
        views=("architecture", "sequence"),
        direction="TB",
        nodes=nodes, groups=groups, steps=steps, fragments=fragments, notes=notes,
        baseline=BASELINE,
    )
