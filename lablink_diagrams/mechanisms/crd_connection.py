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
             description="One Flask thread and one PostgreSQL connection held per waiting VM.",
             refs=(ref(_DB, "PostgresqlDatabase.listen_for_notifications", "python"),)),
        Node("vms_table", "vms table\n(HostName, CrdCommand, Pin, ...)", "table",
             refs=(ref(_SQL, "statement CREATE TABLE", "sql"), ref("A/conf/config.yaml", "db.table_name", "config"))),
        Node("trigger", "trigger_crd_command_insert_or_update", "trigger",
             description="AFTER INSERT OR UPDATE OF CrdCommand ON the VM table, FOR EACH ROW.",
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
        Node("google_crd", "Google Chrome Remote Desktop\n(external)", "external", external=True,
             description="Google's service; its protocol is not in LabLink's code."),
    )
    groups = (
        Group("client_vm", "Client VM", "vm", groups=("client_container",)),
        Group("client_container", "client container", "container",
              nodes=("subscribe", "connect_crd", "crd_host")),
        Group("allocator_ec2", "Allocator EC2", "host", groups=("allocator_container",),
              refs=(ref("TI/main.tf", "aws_instance.lablink_allocator_server", "terraform", repo="lablink-template"),)),
        Group("allocator_container", "allocator container (Flask)", "container",
              nodes=("index_form", "request_vm", "vm_startup", "listener"), groups=("postgres",)),
        Group("postgres", "PostgreSQL", "cluster",
              nodes=("vms_table", "trigger", "notify_fn", "channel")),
        # Google stands alone (its node is drawn as external): a one-node "External" frame only
        # added a title that the arrows from the user and the CRD host had to cross.
    )
    steps = (
        Step(1, "subscribe", "vm_startup", "POST /vm_startup {hostname}", "request",
             protocol="HTTP long-poll, read timeout 604800 s (7 days)", blocking=True,
             refs=(ref("C/subscribe.py", "subscribe:requests.post", "python"),
                   ref("C/subscribe.py", "subscribe:url", "python"))),
        Step(2, "vm_startup", "listener", "listen_for_notifications()", "request",
             payload="channel=vm_updates, target_hostname", blocking=True,
             refs=(ref("A/main.py", "vm_startup:listen_for_notifications", "python"),
                   ref("A/main.py", "vm_startup:get_vm_by_hostname", "python"))),
        Step(3, "listener", "channel", "LISTEN vm_updates", "sql",
             protocol="psycopg2, select() every 10 s, no overall timeout",
             refs=(ref(_DB, "statement LISTEN", "sql"),
                   ref(_DB, "PostgresqlDatabase.listen_for_notifications:select.select", "python"))),
        Step(4, "user", "google_crd", "get --code=... command", "user",
             payload="one-time command from Google's headless CRD page",
             refs=(ref("A/main.py", "check_crd_input", "python"),)),
        Step(5, "user", "index_form", "GET /, fill in form", "user",
             payload="email, CRD command",
             refs=(route("GET /"), ref("A/templates/index.html", "input[name=email]", "html"))),
        Step(6, "index_form", "request_vm", "POST /api/request_vm", "request",
             protocol="HTML form post", payload="email, crd_command", blocking=True,
             refs=(ref("A/templates/index.html", "form[action=/api/request_vm]", "html"),
                   route("POST /api/request_vm"))),
        Step(7, "request_vm", "vms_table", "assign_vm: UPDATE VM row", "sql",
             payload="SET useremail, crdcommand, pin on the first row WHERE useremail IS NULL AND status = 'running'",
             refs=(ref("A/main.py", "submit_vm_details:assign_vm", "python"),
                   ref(_DB, "PostgresqlDatabase.assign_vm", "python"),
                   ref(_DB, "PostgresqlDatabase.get_first_available_vm", "python"))),
        Step(8, "vms_table", "trigger", "fires AFTER INSERT OR UPDATE OF CrdCommand", "trigger",
             protocol="FOR EACH ROW",
             refs=(ref(_SQL, "trigger trigger_crd_command_insert_or_update", "sql"),)),
        Step(9, "trigger", "notify_fn", "EXECUTE FUNCTION", "trigger",
             payload="notify_crd_command_update()",
             refs=(ref(_SQL, "function notify_crd_command_update", "sql"),)),
        Step(10, "notify_fn", "channel", "pg_notify(vm_updates, ...)", "notify",
             payload="{HostName, CrdCommand, Pin}",
             refs=(ref(_SQL, "statement PERFORM", "sql"),)),
        Step(11, "channel", "listener", "NOTIFY delivered", "notify",
             payload="to the waiting LISTEN connection",
             refs=(ref(_DB, "PostgresqlDatabase.listen_for_notifications:notifies.pop", "python"),)),
        Step(12, "listener", "vm_startup", "{pin, command} if HostName matches", "response",
             payload="{status: success, pin, command}, only when HostName is the waiting VM",
             reply_to=2,
             refs=(ref(_DB, "PostgresqlDatabase.listen_for_notifications", "python"),)),
        Step(13, "vm_startup", "subscribe", "HTTP 200 {pin, command}", "response", reply_to=1,
             refs=(ref("A/main.py", "vm_startup:jsonify", "python"),)),
        Step(14, "request_vm", "index_form", "success.html (hostname, PIN)", "response", reply_to=6,
             refs=(ref("A/main.py", "submit_vm_details:render_template", "python"),
                   ref(_DB, "PostgresqlDatabase.get_vm_details", "python"))),
        Step(15, "subscribe", "connect_crd", "connect_to_crd()", "request",
             payload="pin, command",
             refs=(ref("C/subscribe.py", "subscribe:connect_to_crd", "python"),)),
        Step(16, "connect_crd", "crd_host", "run start-host", "subprocess",
             payload="--code=... --name=$VM_NAME; PIN twice on stdin",
             refs=(ref("C/connect_crd.py", "reconstruct_command", "python"),
                   ref("C/connect_crd.py", "connect_to_crd:subprocess.run", "python"))),
        Step(17, "crd_host", "google_crd", "register host", "async",
             payload="with the user's Google account",
             refs=(ref("C/connect_crd.py", "construct_command", "python"),)),
        Step(18, "user", "google_crd", "open /access, enter PIN", "user",
             payload="remotedesktop.google.com/access",
             refs=(ref("A/templates/success.html", "a[href=https://remotedesktop.google.com/access/]", "html"),)),
    )
    fragments = (
        Fragment("par", (Section(11, 13, "allocator wakes the waiting VM"),
                         Section(14, 14, "user's request returns"))),
    )
    notes = (
        Note("Started by the container's start.sh before any user acts; retries every 60 s after an error or timeout.",
             step=1),
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
