"""VM status and health monitoring (fact sheet §3 Diagram 8, §1.10).

The spec drew "three parallel monitoring services" in the client container,
one of them reporting the VM status.  At the baseline the status is not a
service: cloud-init's ``send_status()`` curls ``initializing`` once at the
start of user_data.sh and ``running`` (or ``error``) once after ``docker run``.
Only two container processes monitor: ``check_gpu`` (nvidia-smi) and
``update_inuse_status`` (psutil).  Both wake every 20 s but POST only when
their reading changed.  The container's third process, ``subscribe``, is the
CRD long-poll (crd-connection), not a monitor.
"""

from __future__ import annotations

from ..model import Diagram, Field, Fragment, Group, Node, Note, Section, Step
from ._common import BASELINE, ref, route

_UD = "A/terraform/user_data.sh"
_DB = "A/database.py"
_SQL = "A/generate_init_sql.py"
_GPU = "C/check_gpu.py"
_INUSE = "C/update_inuse_status.py"


def build() -> Diagram:
    nodes = (
        Node("cloud_init", "cloud-init user_data.sh\nsend_status() (curl)", "process",
             description="One-shot: runs once at VM boot, not a service.",
             refs=(ref(_UD, "send_status", "shell"), ref(_UD, "STATUS_ENDPOINT=", "shell"))),
        Node("check_gpu", "check_gpu\n(every 20 s)", "process",
             refs=(ref(_GPU, "check_gpu_health", "python"),
                   ref("packages/client/start.sh", "check_gpu", "shell"))),
        Node("nvidia_smi", "nvidia-smi", "process",
             refs=(ref(_GPU, "check_gpu_health:subprocess.run", "python"),)),
        Node("inuse", "update_inuse_status\n(every 20 s)", "process",
             refs=(ref(_INUSE, "listen_for_process", "python"),
                   ref("packages/client/start.sh", "client.software=$SUBJECT_SOFTWARE", "shell"))),
        Node("software", "subject software\n(e.g. sleap)", "process",
             description="The program named by client.software / SUBJECT_SOFTWARE; default sleap.",
             refs=(ref("A/conf/config.yaml", "machine.software", "config"),
                   ref(_INUSE, "is_process_running", "python"))),
        Node("r_status", "update_vm_status\nPOST /api/vm-status", "service",
             description="public: no auth at the baseline.",
             refs=(route("POST /api/vm-status"), ref("A/main.py", "update_vm_status", "python"))),
        Node("r_gpu", "update_gpu_health\nPOST /api/gpu_health", "service",
             description="public: no auth at the baseline.",
             refs=(route("POST /api/gpu_health"), ref("A/main.py", "update_gpu_health", "python"))),
        Node("r_inuse", "update_inuse_status\nPOST /api/update_inuse_status", "service",
             description="public: no auth at the baseline.",
             refs=(route("POST /api/update_inuse_status"), ref("A/main.py", "update_inuse_status", "python"))),
        Node("vms", "PostgreSQL: vms table\nstatus · healthy · inuse", "table",
             description="The three monitoring columns of the one VM table.",
             fields=(Field("Status", "VARCHAR(1024)", "", "initializing / running / unknown / error"),
                     Field("Healthy", "VARCHAR(1024)", "", "Healthy / Unhealthy / N/A"),
                     Field("InUse", "BOOLEAN", "NOT NULL DEFAULT FALSE", "subject software running")),
             refs=(ref(_SQL, "column Status", "sql"), ref(_SQL, "column Healthy", "sql"),
                   ref(_SQL, "column InUse", "sql"))),
        Node("r_all_status", "get_all_vm_status\nGET /api/vm-status", "service",
             description="public: no auth at the baseline, though only the admin dashboard calls it.",
             refs=(route("GET /api/vm-status"), ref("A/main.py", "get_all_vm_status", "python"))),
        Node("r_instances", "view_instances\nGET /admin/instances", "service",
             description="authenticated: HTTP Basic (admin).",
             refs=(route("GET /admin/instances"), ref("A/main.py", "view_instances", "python"))),
        Node("r_count", "get_unassigned_instance_counts\nGET /api/unassigned_vms_count", "service",
             description="public: the user's landing page polls it.",
             refs=(route("GET /api/unassigned_vms_count"),
                   ref("A/main.py", "get_unassigned_instance_counts", "python"))),
        Node("dashboard", "dashboard.html\n(admin, after launch)", "page",
             refs=(ref("A/templates/dashboard.html", "fetch(/api/vm-status)", "html"),)),
        Node("admin", "Admin (browser)", "person",
             refs=(ref("A/templates/admin.html", "button:View Current Instances", "html"),)),
        Node("index", "index.html\n(user landing page)", "page",
             refs=(ref("A/templates/index.html", "fetch(/api/unassigned_vms_count)", "html"), route("GET /"))),
    )
    groups = (
        Group("client_vm", "Client VM", "vm", nodes=("cloud_init",), groups=("client_container",),
              refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm", "terraform"),)),
        Group("client_container", "client container", "container",
              nodes=("check_gpu", "nvidia_smi", "inuse", "software")),
        Group("allocator_ec2", "Allocator EC2", "host", groups=("allocator_container",)),
        Group("allocator_container", "allocator container (Flask)", "container",
              nodes=("r_status", "r_gpu", "r_inuse", "r_all_status", "r_instances", "r_count", "vms")),
        Group("browsers", "Browsers", "boundary", nodes=("dashboard", "admin", "index")),
    )
    steps = (
        # A. lifecycle status: one-shot, from cloud-init
        Step(1, "cloud_init", "r_status", "POST {hostname, status: initializing}", "request",
             protocol="HTTP(S) curl, --max-time 5, failures ignored",
             description="First action of user_data.sh, before the CloudWatch agent is installed.",
             refs=(ref(_UD, 'send_status "initializing"', "shell"),)),
        Step(2, "r_status", "vms", "upsert status", "sql",
             description="INSERT … ON CONFLICT (hostname) DO UPDATE.",
             refs=(ref("A/main.py", "update_vm_status:update_vm_status", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_status", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_status:possible_statuses", "python"))),
        Step(3, "cloud_init", "r_status", "POST {status: running | error}", "request",
             protocol="HTTP(S) curl, --max-time 5, failures ignored",
             description="running right after docker run -dit returns; error if the agent install, "
                         "image pull or container start fails (then cloud-init exits).",
             refs=(ref(_UD, 'send_status "running"', "shell"), ref(_UD, 'send_status "error"', "shell"))),
        Step(4, "r_status", "vms", "upsert status", "sql",
             refs=(ref(_DB, "PostgresqlDatabase.update_vm_status", "python"),)),
        # B. GPU health loop
        Step(5, "check_gpu", "nvidia_smi", "run nvidia-smi", "subprocess",
             refs=(ref(_GPU, "check_gpu_health:subprocess.run", "python"),)),
        Step(6, "nvidia_smi", "check_gpu", "exit 0 → Healthy, error → Unhealthy, missing → N/A",
             "response", reply_to=5,
             refs=(ref(_GPU, "check_gpu_health:curr_status", "python"),
                   ref(_GPU, "check_gpu_health:break_now", "python"))),
        Step(7, "check_gpu", "r_gpu", "POST {hostname, gpu_status} on change", "request",
             protocol="HTTP(S) JSON, timeout (10, 20)",
             refs=(ref(_GPU, "check_gpu_health:requests.post", "python"),
                   ref(_GPU, "check_gpu_health:last_status", "python"))),
        Step(8, "r_gpu", "vms", "update_health: UPDATE healthy", "sql",
             refs=(ref("A/main.py", "update_gpu_health:update_health", "python"),
                   ref(_DB, "PostgresqlDatabase.update_health", "python"))),
        # C. in-use loop
        Step(9, "inuse", "software", "psutil: scan process cmdlines", "read",
             refs=(ref(_INUSE, "is_process_running:psutil.process_iter", "python"),
                   ref(_INUSE, "listen_for_process:is_process_running", "python"))),
        Step(10, "inuse", "r_inuse", "POST {hostname, status: bool} on change", "request",
             protocol="HTTP(S) JSON, timeout (10, 20)",
             refs=(ref(_INUSE, "call_api:requests.post", "python"),
                   ref(_INUSE, "main:url", "python"))),
        Step(11, "r_inuse", "vms", "update_vm_in_use: UPDATE inuse", "sql",
             refs=(ref("A/main.py", "update_inuse_status:update_vm_in_use", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_in_use", "python"))),
        # consumers
        Step(12, "dashboard", "r_all_status", "GET /api/vm-status", "request",
             protocol="fetch, auto-refresh every 5 s",
             refs=(ref("A/templates/dashboard.html", "fetch(/api/vm-status)", "html"),)),
        Step(13, "r_all_status", "vms", "SELECT hostname, status", "read",
             refs=(ref(_DB, "PostgresqlDatabase.get_all_vm_status", "python"),)),
        Step(14, "admin", "r_instances", "GET /admin/instances (Basic auth)", "request",
             refs=(route("GET /admin/instances"),
                   ref("A/templates/admin.html", "button:View Current Instances", "html"))),
        Step(15, "r_instances", "vms", "get_all_vms (all but logs)", "read",
             description="All columns of the vms table except logs.",
             refs=(ref("A/main.py", "view_instances:get_all_vms", "python"),
                   ref(_DB, "PostgresqlDatabase.get_all_vms", "python"))),
        Step(16, "index", "r_count", "GET /api/unassigned_vms_count", "request",
             protocol="fetch, every 5 s",
             refs=(ref("A/templates/index.html", "fetch(/api/unassigned_vms_count)", "html"),)),
        Step(17, "r_count", "vms", "count: status = 'running', no crdcommand", "read",
             description="get_unassigned_vms: crdcommand IS NULL AND status = 'running'.",
             refs=(ref("A/main.py", "get_unassigned_instance_counts:get_unassigned_vms", "python"),
                   ref(_DB, "PostgresqlDatabase.get_unassigned_vms", "python"))),
    )
    fragments = (
        Fragment("par", (Section(5, 8, "GPU health (check_gpu)"),
                         Section(9, 11, "in use (update_inuse_status)"))),
        Fragment("loop", (Section(5, 8, "every 20 s (until N/A)"),)),
        Fragment("opt", (Section(7, 8, "status changed (incl. first check)"),)),
        Fragment("loop", (Section(9, 11, "every 20 s"),)),
        Fragment("opt", (Section(10, 11, "running ↔ stopped changed"),)),
        Fragment("par", (Section(12, 13, "admin dashboard"),
                         Section(14, 15, "admin instances page"),
                         Section(16, 17, "user landing page"))),
        Fragment("loop", (Section(12, 13, "every 5 s"),)),
        Fragment("loop", (Section(16, 17, "every 5 s"),)),
    )
    notes = (
        Note("Not a service: two curl calls from cloud-init, nothing after boot.", node="cloud_init"),
        Note("The container's third process, subscribe, is the CRD long-poll (see crd-connection), "
             "not a monitor.", node="inuse"),
        Note("'running' is sent as soon as docker run returns, before start.sh has started "
             "any service.", step=3),
        Note("After N/A (no nvidia-smi) it reports once and exits.", step=6),
        Note("Only a change is posted; the first reading sets the baseline.", step=10),
        Note("update_vm_status accepts running, initializing, unknown, error; "
             "other values are dropped.", step=2),
    )
    return Diagram(
        name="monitoring",
        title="VM status and health monitoring",
        description=(
            "How the allocator learns a VM's state: cloud-init posts its lifecycle status once "
            "per phase; in the client container check_gpu (nvidia-smi) and update_inuse_status "
            "(psutil) check every 20 s and post only changes; the allocator writes the status, "
            "healthy and inuse columns, which the admin dashboard, the instances page and the "
            "user's landing page read."
        ),
        priority="supplementary",
        views=("architecture", "sequence"),
        direction="LR",
        nodes=nodes, groups=groups, steps=steps, fragments=fragments, notes=notes,
        baseline=BASELINE,
    )
