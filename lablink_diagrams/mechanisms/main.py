"""System overview: who talks to whom in one LabLink deployment (fact sheet §3, Diagram 1).

Deliberately high level: one node per running thing, Caddy as the single
ingress on the allocator host (every browser, VM and Lambda request enters
there), PostgreSQL and the Terraform CLI inside the allocator container — not RDS,
not a separate cluster, no ALB at the baseline.
"""

from __future__ import annotations

from ..model import Diagram, Group, Node, Step
from ._common import BASELINE, ref, route, tref

_TF = "TI/main.tf"


def build() -> Diagram:
    nodes = (
        Node("admin", "Admin (browser)", "person",
             refs=(route("GET /admin"), ref("A/main.py", "verify_password", "python"))),
        Node("user", "User (browser)", "person",
             refs=(ref("A/templates/index.html", "form[action=/api/request_vm]", "html"),)),
        Node("caddy", "Caddy reverse proxy\n:80 / :443", "service",
             description="The single ingress: every browser, VM and Lambda request enters here; "
                         "the container is published on 127.0.0.1:5000 only.",
             refs=(tref("TI/user_data.sh", "apt-get install -y caddy", "shell"),
                   tref("TI/user_data.sh", "reverse_proxy localhost:5000", "shell"))),
        Node("flask", "Flask allocator\n(main.py, :5000)", "service",
             refs=(ref("A/main.py", "app", "python"), ref("A/main.py", "main:app.run", "python"))),
        Node("postgres", "PostgreSQL\n(in-container)", "database",
             refs=(ref("packages/allocator/Dockerfile", "postgresql postgresql-contrib", "dockerfile"),
                   ref("packages/allocator/start.sh", "pg_ctlcluster 17 main restart", "shell"))),
        Node("terraform", "Terraform CLI\n(subprocess)", "process",
             refs=(ref("packages/allocator/Dockerfile", "terraform_1.4.6_linux_amd64.zip", "dockerfile"),
                   ref("A/main.py", "launch:subprocess.run", "python"))),
        Node("state", "S3 state + tfvars\nDynamoDB lock-table", "storage",
             refs=(ref("A/terraform/backend.tf", "terraform:backend", "terraform"),
                   ref("A/terraform/backend-client-prod.hcl", "dynamodb_table", "terraform"))),
        # One node for the VM: its host (cloud-init, CloudWatch agent, Docker) and the client
        # container it runs; the step labels name which of the two acts.
        Node("client_vm", "Client VM (× N)\ncloud-init + client container", "vm",
             description="EC2 instance created by the allocator's Terraform. cloud-init installs the "
                         "CloudWatch agent and Docker and runs the client container, whose background "
                         "services are subscribe, check_gpu and update_inuse_status.",
             refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm", "terraform"),
                   ref("A/terraform/user_data.sh", "send_status", "shell"),
                   ref("packages/client/start.sh", "subscribe", "shell"),
                   ref("packages/client/start.sh", "check_gpu", "shell"))),
        Node("cw_logs", "CloudWatch Logs\nlablink-cloud-init-{env}", "storage",
             refs=(tref(_TF, "aws_cloudwatch_log_group.client_vm_logs", "terraform"),)),
        Node("lambda", "Lambda log_processor", "function",
             refs=(tref(_TF, "aws_lambda_function.log_processor", "terraform"),
                   tref("TI/lambda_function.py", "lambda_handler", "python"))),
        Node("google_crd", "Google Chrome\nRemote Desktop", "external", external=True,
             description="Google's service; its protocol is not in LabLink's code."),
    )
    groups = (
        Group("aws", "AWS account", "cloud", nodes=("client_vm", "state", "cw_logs", "lambda"),
              groups=("allocator_ec2",)),
        Group("allocator_ec2", "Allocator EC2 (lablink-template)", "host", nodes=("caddy",),
              groups=("allocator_container",),
              refs=(tref(_TF, "aws_instance.lablink_allocator_server", "terraform"),)),
        Group("allocator_container", "allocator container", "container",
              nodes=("flask", "postgres", "terraform"),
              refs=(tref("TI/user_data.sh", "docker run -d -p 127.0.0.1:5000:5000", "shell"),)),
        Group("google", "External", "external", nodes=("google_crd",)),
    )
    steps = (
        Step(1, "admin", "caddy", "POST /api/launch, /destroy", "request",
             protocol="HTTPS 443 (or HTTP 80 when ssl.staging), HTTP Basic auth",
             refs=(route("POST /api/launch"), route("POST /destroy"))),
        Step(2, "caddy", "flask", "reverse_proxy :5000", "request",
             protocol="HTTP to localhost:5000 (container published on 127.0.0.1 only)",
             refs=(tref("TI/user_data.sh", "reverse_proxy localhost:5000", "shell"),)),
        Step(3, "flask", "terraform", "terraform apply / destroy", "subprocess",
             refs=(ref("A/main.py", "launch:subprocess.run", "python"),
                   ref("A/main.py", "destroy:subprocess.run", "python"))),
        Step(4, "terraform", "state", "S3 state, DynamoDB lock", "write",
             refs=(ref("A/terraform/backend.tf", "terraform:backend", "terraform"),
                   ref("A/main.py", "launch:upload_to_s3", "python"))),
        Step(5, "terraform", "client_vm", "create client VMs", "async",
             payload="user_data = cloud-init script",
             refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm", "terraform"),)),
        Step(6, "client_vm", "caddy", "cloud-init: POST /api/vm-status, /api/vm-metrics", "request",
             protocol="curl from cloud-init",
             refs=(ref("A/terraform/user_data.sh", "send_status", "shell"), route("POST /api/vm-status"))),
        Step(7, "client_vm", "caddy", "container: long-poll /vm_startup; GPU, in-use, vm-metrics", "request",
             protocol="POST /vm_startup, /api/gpu_health, /api/update_inuse_status, /api/vm-metrics/<hostname>",
             refs=(ref("C/subscribe.py", "subscribe:requests.post", "python"),
                   route("POST /vm_startup"), route("POST /api/gpu_health"),
                   route("POST /api/update_inuse_status"), route("POST /api/vm-metrics/<hostname>"))),
        Step(8, "flask", "postgres", "SQL; LISTEN vm_updates", "sql",
             protocol="psycopg2, localhost:5432",
             refs=(ref("A/database.py", "PostgresqlDatabase", "python"),
                   ref("A/database.py", "statement LISTEN", "sql"))),
        Step(9, "client_vm", "cw_logs", "agent: cloud-init log", "async",
             payload="cloud-init-output.log",
             refs=(ref("A/terraform/user_data.sh", "amazon-cloudwatch-agent-ctl", "shell"),)),
        Step(10, "client_vm", "cw_logs", "watchtower: service logs", "async",
             refs=(ref("C/logger_utils.py", "CloudAndConsoleLogger", "python"),)),
        Step(11, "cw_logs", "lambda", "subscription filter", "notify",
             payload="all events",
             refs=(tref(_TF, "aws_cloudwatch_log_subscription_filter.lambda_subscription", "terraform"),)),
        Step(12, "lambda", "caddy", "POST /api/vm-logs (no auth)", "request",
             protocol="http (no scheme in API_ENDPOINT)",
             refs=(tref("TI/lambda_function.py", "lambda_handler", "python"),
                   tref(_TF, "aws_lambda_function.log_processor", "terraform"), route("POST /api/vm-logs"))),
        Step(13, "user", "caddy", "POST /api/request_vm", "request",
             payload="email, CRD command",
             refs=(route("POST /api/request_vm"),)),
        Step(14, "flask", "client_vm", "NOTIFY: 200 {pin, command} via Caddy", "response",
             payload="the NOTIFY releases the waiting /vm_startup; the reply goes back through Caddy",
             refs=(ref("A/database.py", "PostgresqlDatabase.listen_for_notifications", "python"),
                   route("POST /vm_startup"))),
        Step(15, "client_vm", "google_crd", "start-host registers", "async",
             refs=(ref("C/connect_crd.py", "connect_to_crd", "python"),)),
        Step(16, "user", "google_crd", "connect with PIN", "user",
             refs=(ref("A/templates/success.html", "a[href=https://remotedesktop.google.com/access/]", "html"),)),
        Step(17, "flask", "client_vm", "SSH + rsync export", "request",
             protocol="on GET /api/scp-client; SSH 22, Terraform-generated key",
             refs=(route("GET /api/scp-client"), ref("A/utils/scp.py", "rsync_files_to_allocator", "python"))),
    )
    # No notes: a note node sits outside the clusters, so its dotted line cut through the
    # AWS and Allocator EC2 titles; what they said is in the Caddy description and below.
    notes = ()
    return Diagram(
        name="main",
        title="LabLink system overview",
        description=(
            "One deployment: the allocator EC2 (Caddy in front of a container holding Flask, "
            "PostgreSQL and the Terraform CLI) creates client VMs, which report status, long-poll "
            "for their user and ship logs through CloudWatch and a Lambda back to the allocator; "
            "researchers connect through Google Chrome Remote Desktop. Details: crd-connection "
            "(steps 7, 13-16), vm-provisioning (1-6), logging-pipeline (9-12), data-collection (17)."
        ),
        priority="essential",
        views=("architecture",),
        direction="TB",
        nodes=nodes, groups=groups, steps=steps, notes=notes,
        baseline=BASELINE,
    )
