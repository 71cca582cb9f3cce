"""API architecture: the allocator's 22 Flask view functions by actor and auth (fact sheet §2, §3 Diagram 6).

At the baseline S (lablink d3b6b02) ``main.py`` has 22 view functions on 21 URL
rules (``/api/vm-status`` has a POST and a GET): 12 public, 10 behind
``@auth.login_required`` (HTTP Basic, one admin user).  There is no other auth:
the VM-, Lambda- and query-facing routes carry no token, and the log/status GETs
that the admin pages poll are public too.  The endpoint boxes follow the
actor-centric layout the paper authors asked for (fact sheet §8.4), with the
10 admin routes split into three boxes so that each box is one auth level and
the external calls (Terraform subprocess, boto3, ssh/rsync) leave from the box
that makes them.

A node whose ``description`` starts with ``public`` or ``authenticated`` is an
endpoint group; its label lists its routes, one ``METHOD /rule`` per line, and
it carries one ``route`` ref per view function.
"""

from __future__ import annotations

from ..model import Diagram, Group, Node, Note, Step
from ._common import BASELINE, ref, route, tref

_DB = "A/database.py"
_T = "A/templates/"
_UD = "A/terraform/user_data.sh"

# The endpoint groups: id -> (title, auth, (rules...)).  Order is the order of the label lines.
ENDPOINT_GROUPS = {
    "ep_lambda": ("Lambda callback", "public", (
        "POST /api/vm-logs",
    )),
    "ep_vm": ("VM-to-allocator", "public", (
        "POST /vm_startup",
        "POST /api/vm-status",
        "POST /api/vm-metrics/<hostname>",
        "POST /api/gpu_health",
        "POST /api/update_inuse_status",
    )),
    "ep_user": ("User interface", "public", (
        "GET /",
        "POST /api/request_vm",
    )),
    "ep_query": ("Queries", "public", (
        "GET /api/unassigned_vms_count",
        "GET /api/vm-status",
        "GET /api/vm-status/<hostname>",
        "GET /api/vm-logs/<hostname>",
    )),
    "ep_admin_pages": ("Admin pages", "authenticated", (
        "GET /admin/create",
        "GET /admin/instances",
        "GET /admin/instances/delete",
        "GET /admin/logs/<hostname>",
    )),
    "ep_admin_ops": ("Admin operations", "authenticated", (
        "POST /api/launch",
        "POST /destroy",
        "GET /api/scp-client",
    )),
    "ep_admin_aws": ("Admin home + AWS credentials", "authenticated", (
        "GET /admin",
        "POST /api/admin/set-aws-credentials",
        "POST /api/admin/unset-aws-credentials",
    )),
}

# View function per rule (main.py at S), so each group also cites the handlers it holds.
_VIEW = {
    "GET /": "home",
    "GET /admin/create": "create_instances",
    "GET /admin": "admin",
    "POST /api/admin/unset-aws-credentials": "unset_aws_credentials",
    "POST /api/admin/set-aws-credentials": "set_aws_credentials",
    "GET /admin/instances": "view_instances",
    "GET /admin/instances/delete": "delete_instances",
    "POST /api/request_vm": "submit_vm_details",
    "POST /api/launch": "launch",
    "POST /destroy": "destroy",
    "POST /vm_startup": "vm_startup",
    "GET /api/scp-client": "download_all_data",
    "GET /api/unassigned_vms_count": "get_unassigned_instance_counts",
    "POST /api/update_inuse_status": "update_inuse_status",
    "POST /api/gpu_health": "update_gpu_health",
    "POST /api/vm-status": "update_vm_status",
    "GET /api/vm-status/<hostname>": "get_vm_status",
    "GET /api/vm-status": "get_all_vm_status",
    "POST /api/vm-logs": "receive_vm_logs",
    "GET /api/vm-logs/<hostname>": "get_vm_logs_by_hostname",
    "GET /admin/logs/<hostname>": "get_vm_logs",
    "POST /api/vm-metrics/<hostname>": "receive_vm_metrics",
}

_AUTH_TEXT = {
    "public": "public: no auth at the baseline (no @auth.login_required, no token)",
    "authenticated": "authenticated: @auth.login_required (HTTP Basic, verify_password, one admin user)",
}


_EXTRA = {
    "ep_query": (" Public at the baseline, though the admin pages poll two of them (/api/vm-status,"
                 " /api/vm-logs/<hostname>); the user's index.html polls /api/unassigned_vms_count."
                 " GET /api/vm-status/<hostname> has no in-repo caller; GET /api/vm-logs/<hostname> "
                 "answers 503 while logs are NULL and status is initializing."),
    "ep_admin_aws": (" The two AWS-credential routes were removed a week after the baseline (459e0e06); "
                     "the allocator then used its EC2 instance role."),
    "ep_vm": " Callers: cloud-init (vm-status, vm-metrics) and the client container (all but vm-status).",
}


def _endpoint_node(node_id: str) -> Node:
    title, auth, rules = ENDPOINT_GROUPS[node_id]
    refs = tuple(route(r) for r in rules)
    refs += tuple(ref("A/main.py", _VIEW[r], "python") for r in rules)
    if auth == "authenticated":
        refs += (ref("A/main.py", "verify_password", "python"),)
    extra = _EXTRA.get(node_id, "")
    return Node(node_id, "\n".join((title,) + rules), "service",
                description=f"{_AUTH_TEXT[auth]}. View functions: {', '.join(_VIEW[r] for r in rules)}.{extra}",
                refs=refs)


def build() -> Diagram:
    nodes = (
        # -- the four actors, in the order their endpoint boxes stack -------------------
        Node("lambda_fn", "Lambda\nlog_processor", "function",
             description="Invoked by the CloudWatch subscription filter; forwards log batches.",
             refs=(tref("TI/lambda_function.py", "lambda_handler", "python"),
                   tref("TI/main.tf", "aws_lambda_function.log_processor", "terraform"))),
        Node("client_vm", "Client VM\ncloud-init + client container", "vm",
             description="cloud-init's user_data.sh posts status and its timing; the container's "
                         "start.sh and its services post metrics, GPU health, in-use and long-poll /vm_startup.",
             refs=(ref(_UD, "send_status", "shell"),
                   ref("packages/client/start.sh", "subscribe", "shell"))),
        Node("user", "User (browser)", "person",
             description="A researcher requesting a VM.",
             refs=(ref(_T + "index.html", "form[action=/api/request_vm]", "html"),)),
        Node("admin", "Admin (browser)", "person",
             description="The course instructor; one HTTP Basic user (cfg.app.admin_user).",
             refs=(ref(_T + "admin.html", "form[action=/api/admin/set-aws-credentials]", "html"),
                   ref(_T + "create-instances.html", "form[action=/api/launch]", "html"))),
        # -- endpoint groups (allocator, main.py) -----------------------------------------
        *(_endpoint_node(nid) for nid in ENDPOINT_GROUPS),
        # -- what the endpoints call ------------------------------------------------------
        Node("postgres", "PostgreSQL (in-container)\nvms table, localhost:5432", "database",
             description="Installed in the allocator image and started by its start.sh; not RDS, "
                         "port 5432 is not published.",
             refs=(ref("packages/allocator/Dockerfile", "postgresql", "dockerfile"),
                   ref("packages/allocator/start.sh", "pg_ctlcluster", "shell"),
                   ref("A/generate_init_sql.py", "statement CREATE TABLE", "sql"),
                   ref("A/conf/config.yaml", "db.host", "config"))),
        Node("terraform", "terraform CLI (subprocess)\ncwd terraform/", "process",
             description="Terraform 1.4.6 inside the allocator container, run with subprocess.run.",
             refs=(ref("packages/allocator/Dockerfile", "terraform_1.4.6", "dockerfile"),
                   ref("A/main.py", "TERRAFORM_DIR", "python"))),
        Node("ssh_rsync", "ssh / docker cp / rsync\nto client VMs, port 22", "process",
             description="Subprocesses with the Terraform-generated key (StrictHostKeyChecking=no).",
             refs=(ref("A/utils/scp.py", "find_files_in_container", "python"),
                   ref("A/utils/scp.py", "extract_files_from_docker", "python"),
                   ref("A/utils/scp.py", "rsync_files_to_allocator", "python"))),
        Node("aws", "AWS APIs\nEC2 · IAM · S3 · STS", "cloud", external=True,
             description="Reached with boto3 (aws_utils) and by Terraform; AWS internals are not in the code.",
             refs=(ref("A/utils/aws_utils.py", "check_support_nvidia", "python"),
                   ref("A/utils/aws_utils.py", "upload_to_s3", "python"),
                   ref("A/utils/aws_utils.py", "validate_aws_credentials", "python"))),
    )
    groups = (
        Group("allocator", "Allocator container (Flask :5000, main.py)", "container",
              nodes=("postgres", "ssh_rsync", "terraform"), groups=("public_api", "auth_required"),
              refs=(ref("A/main.py", "app", "python"),)),
        Group("public_api", "Public (no auth)", "boundary",
              nodes=("ep_lambda", "ep_vm", "ep_user", "ep_query")),
        Group("auth_required", "@auth.login_required (HTTP Basic)", "boundary",
              nodes=("ep_admin_pages", "ep_admin_ops", "ep_admin_aws"),
              refs=(ref("A/main.py", "auth", "python"), ref("A/main.py", "verify_password", "python"))),
    )
    steps = (
        # -- actors -> endpoint groups ------------------------------------------------------
        Step(1, "admin", "ep_admin_pages", "open pages: create, instances, delete, logs", "request",
             protocol="HTTPS via Caddy, HTTP Basic",
             refs=(ref(_T + "admin.html", "button:View Current Instances", "html"),
                   ref(_T + "instances.html", "a[href=/admin/logs/{{ vm.hostname }}]", "html"))),
        Step(2, "admin", "ep_admin_aws", "open /admin; set / unset AWS keys", "request",
             protocol="HTML form post, HTTP Basic",
             refs=(ref(_T + "admin.html", "form[action=/api/admin/set-aws-credentials]", "html"),)),
        Step(3, "admin", "ep_admin_ops", "launch VMs, destroy, download data", "request",
             protocol="HTML form posts; fetch for /api/scp-client", blocking=True,
             refs=(ref(_T + "create-instances.html", "form[action=/api/launch]", "html"),
                   ref(_T + "delete-instances.html", "form[action=/destroy]", "html"),
                   ref(_T + "delete-instances.html", "fetch(/api/scp-client)", "html"))),
        Step(4, "admin", "ep_query", "JS polls status + logs (public)", "request",
             protocol="fetch every 5 s, no credentials needed",
             refs=(ref(_T + "dashboard.html", "fetch(/api/vm-status)", "html"),
                   ref(_T + "instance-logs.html", "fetch(/api/vm-logs/${hostname})", "html"))),
        Step(5, "user", "ep_user", "GET form; POST email + CRD command", "request",
             protocol="HTML form post", blocking=True,
             refs=(ref(_T + "index.html", "form[action=/api/request_vm]", "html"), route("GET /"))),
        Step(6, "user", "ep_query", "polls free-VM count every 5 s", "request",
             protocol="fetch",
             refs=(ref(_T + "index.html", "fetch(/api/unassigned_vms_count)", "html"),)),
        Step(7, "client_vm", "ep_vm", "status, timings, GPU, in-use; long-poll", "request",
             protocol="JSON POST over HTTP(S) to ALLOCATOR_URL, no token",
             payload="{hostname, status} | timing dict | {hostname, gpu_status} | {hostname, status: bool}",
             refs=(ref(_UD, "send_status", "shell"),
                   ref(_UD, "$ALLOCATOR_URL/api/vm-metrics/$VM_NAME", "shell"),
                   ref("packages/client/start.sh", "$ALLOCATOR_URL/api/vm-metrics/$VM_NAME", "shell"),
                   ref("C/subscribe.py", "subscribe:requests.post", "python"),
                   ref("C/check_gpu.py", "check_gpu_health:requests.post", "python"),
                   ref("C/update_inuse_status.py", "call_api:requests.post", "python"))),
        Step(8, "lambda_fn", "ep_lambda", "POST log batch (no auth)", "request",
             protocol="urllib3 JSON POST; API_ENDPOINT has no scheme, so http",
             payload="{log_group, log_stream, messages[]}",
             refs=(tref("TI/lambda_function.py", "lambda_handler:http.request", "python"),
                   tref("TI/main.tf", "aws_lambda_function.log_processor:API_ENDPOINT", "terraform"))),
        # -- endpoint groups -> PostgreSQL -------------------------------------------------
        Step(9, "ep_admin_pages", "postgres", "get_all_vms, vm_exists", "sql",
             refs=(ref("A/main.py", "view_instances:get_all_vms", "python"),
                   ref("A/main.py", "get_vm_logs:vm_exists", "python"),
                   ref(_DB, "PostgresqlDatabase.get_all_vms", "python"))),
        Step(10, "ep_admin_ops", "postgres", "row count, timing upsert, DELETE all rows", "sql",
             refs=(ref("A/main.py", "launch:get_row_count", "python"),
                   ref("A/main.py", "launch:update_terraform_timing", "python"),
                   ref("A/main.py", "destroy:clear_database", "python"),
                   ref(_DB, "PostgresqlDatabase.clear_database", "python"))),
        Step(11, "ep_user", "postgres", "assign_vm: UPDATE row (fires CRD trigger)", "sql",
             refs=(ref("A/main.py", "submit_vm_details:assign_vm", "python"),
                   ref(_DB, "PostgresqlDatabase.assign_vm", "python"),
                   ref(_DB, "PostgresqlDatabase.get_unassigned_vms", "python"))),
        Step(12, "ep_query", "postgres", "SELECT free count, status, logs", "sql",
             refs=(ref(_DB, "PostgresqlDatabase.get_unassigned_vms", "python"),
                   ref(_DB, "PostgresqlDatabase.get_all_vm_status", "python"),
                   ref(_DB, "PostgresqlDatabase.get_status_by_hostname", "python"),
                   ref(_DB, "PostgresqlDatabase.get_vm_logs", "python"))),
        Step(13, "ep_vm", "postgres", "upsert status; UPDATE health, in-use, timings; LISTEN", "sql",
             protocol="psycopg2; /vm_startup holds its own LISTEN connection",
             refs=(ref(_DB, "PostgresqlDatabase.update_vm_status", "python"),
                   ref(_DB, "PostgresqlDatabase.update_health", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_in_use", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_metrics", "python"),
                   ref(_DB, "PostgresqlDatabase.listen_for_notifications", "python"))),
        Step(14, "ep_lambda", "postgres", "append to the logs column", "sql",
             payload="read logs, append, UPDATE logs",
             refs=(ref("A/main.py", "receive_vm_logs:save_logs_by_hostname", "python"),
                   ref(_DB, "PostgresqlDatabase.save_logs_by_hostname", "python"))),
        # -- external calls ------------------------------------------------------------
        Step(15, "ep_admin_ops", "terraform", "terraform apply / destroy / output", "subprocess",
             blocking=True,
             refs=(ref("A/main.py", "launch:subprocess.run", "python"),
                   ref("A/main.py", "destroy:subprocess.run", "python"),
                   ref("A/utils/terraform_utils.py", "get_instance_timings", "python"),
                   ref("A/utils/terraform_utils.py", "get_instance_ips", "python"))),
        Step(16, "ep_admin_ops", "ssh_rsync", "find, docker cp, rsync per VM (sequential)", "subprocess",
             blocking=True,
             refs=(ref("A/main.py", "download_all_data:find_files_in_container", "python"),
                   ref("A/main.py", "download_all_data:rsync_files_to_allocator", "python"))),
        Step(17, "ep_admin_ops", "aws", "boto3: GPU check, S3 upload", "request",
             protocol="boto3 over HTTPS", payload="ec2.describe_instance_types; tfvars to S3",
             refs=(ref("A/main.py", "launch:check_support_nvidia", "python"),
                   ref("A/main.py", "launch:upload_to_s3", "python"))),
        Step(18, "ep_admin_aws", "aws", "STS GetCallerIdentity", "request",
             protocol="boto3 over HTTPS",
             refs=(ref("A/main.py", "admin:validate_aws_credentials", "python"),
                   ref("A/main.py", "set_aws_credentials:validate_aws_credentials", "python"),
                   ref("A/utils/aws_utils.py", "validate_aws_credentials:get_caller_identity", "python"))),
        Step(19, "terraform", "aws", "create / destroy client EC2 VMs", "request",
             protocol="AWS provider; state in S3 + DynamoDB lock (test/prod)",
             refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm", "terraform"),
                   ref("A/terraform/backend-client-prod.hcl", "dynamodb_table", "terraform"))),
    )
    notes = (
        Note("Public at the baseline, though the admin pages poll two of them "
             "(/api/vm-status, /api/vm-logs/<hostname>).", node="ep_query"),
        Note("The credential routes were removed a week after the baseline (459e0e06).", node="ep_admin_aws"),
        Note("/vm_startup blocks until a NOTIFY names the VM (see crd-connection).", step=13),
    )
    return Diagram(
        name="api-architecture",
        title="Allocator API: 22 endpoints by actor and auth",
        description=(
            "The allocator's Flask routes at the baseline, grouped by the actor that calls them: "
            "10 behind HTTP Basic (@auth.login_required), 12 public including every VM-, Lambda- and "
            "query-facing route; each group's database access and its external calls "
            "(Terraform subprocess, boto3, ssh/rsync)."
        ),
        priority="supplementary",
        views=("architecture",),
        direction="LR",
        nodes=nodes, groups=groups, steps=steps, notes=notes,
        baseline=BASELINE,
    )
