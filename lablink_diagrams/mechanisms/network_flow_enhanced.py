"""Network flow with ports, protocols and payloads at the baseline (fact sheet §3 Diagram 7, §1.12–1.13).

The spec drew an RDS database, an ALB with ACM certificates, an optional Caddy
and four SSL strategies.  None of that is the baseline: PostgreSQL runs inside
the allocator container on localhost:5432, there is no ``alb.tf``, and the
template always installs Caddy on the allocator host in front of a container
published on 127.0.0.1:5000 only.  ``ssl.staging`` is the one switch Caddy
sees (HTTP only vs automatic HTTPS); ``ssl.provider`` only picks the scheme of
the URL the client VMs are given.  Every inbound hop enters through the
Elastic IP and the ``allow_http`` security group (22/80/443 from anywhere).
"""

from __future__ import annotations

from ..model import Diagram, Fragment, Group, Node, Note, Section, Step
from ._common import BASELINE, ref, route, tref

_TMAIN = "TI/main.tf"
_TUD = "TI/user_data.sh"
_UD = "A/terraform/user_data.sh"


def build() -> Diagram:
    nodes = (
        Node("user", "User / admin\n(browser)", "person",
             description="Researchers use the public pages; admins use /admin/* (HTTP Basic auth).",
             refs=(route("GET /"), route("GET /admin"))),
        Node("route53", "Route53 A record\n(if dns.enabled and\ndns.terraform_managed)", "cloud",
             description="Created only when dns.enabled and dns.terraform_managed; TTL 300, "
                         "points the FQDN at the Elastic IP. Otherwise the record is made by hand, "
                         "or users type the IP.",
             refs=(tref(_TMAIN, "aws_route53_record.lablink_a_record", "terraform"),
                   tref(_TMAIN, "local.dns_terraform_managed", "terraform"))),
        Node("eip_sg", "Elastic IP + SG allow_http\nTCP 22 / 80 / 443 from 0.0.0.0/0", "service",
             description="The allocator's public address (aws_eip.new, or the tagged data.aws_eip.existing) "
                         "and its only security group.",
             refs=(tref(_TMAIN, "aws_eip.new", "terraform"),
                   tref(_TMAIN, "aws_eip_association.lablink_allocator_ip_assoc", "terraform"),
                   tref(_TMAIN, "aws_security_group.allow_http", "terraform"))),
        Node("caddy", "Caddy (host)\nreverse_proxy localhost:5000", "service",
             description="Always installed by the template's user_data.sh at the baseline; "
                         "terminates TLS unless ssl.staging is true.",
             refs=(tref(_TUD, "apt-get install -y caddy", "shell"),
                   tref(_TUD, "reverse_proxy localhost:5000", "shell"),
                   tref(_TUD, "systemctl restart caddy", "shell"))),
        Node("flask", "Flask allocator\n:5000 (host: 127.0.0.1:5000 only)", "service",
             description="app.run(host=0.0.0.0, port=5000) inside the container; the host publishes "
                         "the port on the loopback interface only, so only Caddy reaches it.",
             refs=(ref("A/main.py", "main:app.run", "python"),
                   tref(_TUD, "docker run -d -p 127.0.0.1:5000:5000", "shell"))),
        Node("postgres", "PostgreSQL (in-container)\nlocalhost:5432", "database",
             description="Installed in the allocator image and started by its start.sh; port 5432 is "
                         "never published (pg_hba.conf would allow md5 from 0.0.0.0/0).",
             refs=(ref("A/conf/config.yaml", "db.host", "config"),
                   ref("A/conf/config.yaml", "db.port", "config"),
                   ref("packages/allocator/Dockerfile", "postgresql postgresql-contrib", "dockerfile"),
                   ref("packages/allocator/start.sh", "pg_ctlcluster 17 main restart", "shell"))),
        Node("client_host", "Client VM host\ncloud-init (curl) · CloudWatch agent\ninbound: SSH 22 only", "vm",
             description="cloud-init runs user_data.sh (curl to the allocator) and starts the CloudWatch "
                         "agent; security group lablink_sg admits inbound TCP 22 only.",
             refs=(ref("A/terraform/main.tf", "aws_security_group.lablink_sg", "terraform"),
                   ref(_UD, "send_status", "shell"),
                   ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"),
                   ref("A/terraform/main.tf", "aws_iam_instance_profile.lablink_instance_profile", "terraform"))),
        Node("client_services", "client container:\nsubscribe · check_gpu ·\nupdate_inuse_status · CRD host", "container",
             description="The container's background services, started by start.sh, and the Chrome "
                         "Remote Desktop host that connect_crd launches.",
             refs=(ref("packages/client/start.sh", "subscribe", "shell"),
                   ref("packages/client/start.sh", "check_gpu", "shell"),
                   ref("packages/client/start.sh", "update_inuse_status", "shell"),
                   ref("C/connect_crd.py", "construct_command", "python"))),
        Node("cw_logs", "CloudWatch Logs\nlablink-cloud-init-{env}", "storage",
             refs=(tref(_TMAIN, "aws_cloudwatch_log_group.client_vm_logs", "terraform"),)),
        Node("lambda_fn", "Lambda\nlablink_log_processor_{env}", "function",
             refs=(tref(_TMAIN, "aws_lambda_function.log_processor", "terraform"),
                   tref("TI/lambda_function.py", "lambda_handler", "python"))),
        Node("aws_apis", "AWS APIs\nEC2 · IAM · S3 · DynamoDB", "cloud", external=True,
             description="Public AWS endpoints; their wire protocol is AWS's, not LabLink's.",
             refs=(ref("A/terraform/backend-client-prod.hcl", "dynamodb_table", "terraform"),)),
        Node("google_crd", "Google Chrome Remote Desktop", "external", external=True,
             description="Google's service; its protocol and ports are not in LabLink's code."),
    )
    # Order steers the layout: the callers (client VMs, browsers, the log path) come first, so
    # Graphviz draws them above the allocator they call and only the SSH hop runs back up.
    groups = (
        Group("client_vm", "Client VM (×N)", "vm",
              nodes=("client_host", "client_services"),
              refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm", "terraform"),)),
        Group("browsers", "Browsers", "boundary", nodes=("user",)),
        Group("aws", "AWS services", "cloud",
              nodes=("cw_logs", "lambda_fn")),
        Group("google", "External (Google)", "external", nodes=("google_crd",)),
        Group("allocator_ec2", "Allocator EC2", "host",
              nodes=("eip_sg", "caddy"), groups=("allocator_container",),
              refs=(tref(_TMAIN, "aws_instance.lablink_allocator_server", "terraform"),)),
        Group("allocator_container", "allocator container", "container",
              nodes=("flask", "postgres")),
        Group("aws_public", "External (AWS)", "external", nodes=("aws_apis",)),
    )
    steps = (
        Step(1, "user", "route53", "DNS: FQDN → Elastic IP", "request",
             protocol="DNS 53", payload="A record, TTL 300",
             refs=(tref(_TMAIN, "aws_route53_record.lablink_a_record:ttl", "terraform"),
                   tref(_TMAIN, "aws_route53_record.lablink_a_record:records", "terraform"))),
        Step(2, "user", "eip_sg", "HTTPS 443\n(80 if staging)", "request",
             protocol="TCP 80/443, SG allow_http",
             payload="GET /, POST /api/request_vm (form), /admin/* (Basic auth)",
             refs=(tref(_TMAIN, "aws_security_group.allow_http", "terraform"),
                   ref("A/templates/index.html", "form[action=/api/request_vm]", "html"))),
        Step(3, "eip_sg", "caddy", "→ Caddy :443 / :80", "request",
             protocol="EIP association (AWS networking)",
             refs=(tref(_TMAIN, "aws_eip_association.lablink_allocator_ip_assoc", "terraform"),)),
        Step(4, "caddy", "flask", "HTTP", "request",
             protocol="HTTP, TLS ends at Caddy", payload="proxied request",
             refs=(tref(_TUD, "reverse_proxy localhost:5000", "shell"),
                   tref(_TUD, "docker run -d -p 127.0.0.1:5000:5000", "shell"))),
        Step(5, "flask", "postgres", "SQL\n(psycopg2)", "sql",
             protocol="PostgreSQL (psycopg2), in-container",
             payload="SELECT / UPDATE / upserts; LISTEN vm_updates",
             refs=(ref("A/main.py", "init_database:PostgresqlDatabase", "python"),
                   ref("A/database.py", "PostgresqlDatabase.__init__:psycopg2.connect", "python"))),
        Step(6, "flask", "aws_apis", "HTTPS: Terraform CLI + boto3", "request",
             protocol="AWS API over HTTPS, from the allocator container",
             payload="terraform apply/destroy: EC2, IAM, S3 state, DynamoDB lock; "
                     "boto3: EC2 DescribeInstanceTypes, S3 put of the tfvars",
             description="Terraform 1.4.6 in the allocator image runs as a subprocess (cwd terraform/); "
                         "state key {env}/client/terraform.tfstate.",
             refs=(ref("A/main.py", "launch:subprocess.run", "python"),
                   ref("packages/allocator/Dockerfile", "terraform_1.4.6_linux_amd64.zip", "dockerfile"),
                   ref("A/terraform/backend-client-prod.hcl", "dynamodb_table", "terraform"),
                   ref("A/utils/aws_utils.py", "check_support_nvidia:boto3.client", "python"),
                   ref("A/utils/aws_utils.py", "upload_to_s3:boto3.client", "python"))),
        Step(7, "flask", "client_host", "SSH 22,\nkey from\nTerraform", "request",
             protocol="SSH 22, user ubuntu, StrictHostKeyChecking=no",
             payload="docker exec find · docker cp · ls · rsync -avz (pull)",
             refs=(ref("A/utils/terraform_utils.py", "get_ssh_private_key", "python"),
                   ref("A/terraform/main.tf", "tls_private_key.lablink_key", "terraform"),
                   ref("A/utils/scp.py", "rsync_files_to_allocator:cmd", "python"))),
        Step(8, "client_host", "eip_sg", "HTTP(S) POST /api/vm-status, /api/vm-metrics", "request",
             protocol="HTTP 80 / HTTPS 443 per ALLOCATOR_URL (curl --max-time 5)",
             payload="JSON {hostname, status}; cloud_init_* timings",
             refs=(ref(_UD, "send_status", "shell"),
                   ref(_UD, "/api/vm-metrics/$VM_NAME", "shell"),
                   ref("A/utils/config_helpers.py", "get_allocator_url", "python"))),
        Step(9, "client_host", "client_services", "docker run --network host", "subprocess",
             protocol="host networking: the container's traffic leaves from the VM's address",
             description="docker run -dit --network host, from cloud-init's user_data.sh.",
             refs=(ref(_UD, "docker run -dit", "shell"),
                   ref(_UD, "--network host", "shell"))),
        Step(10, "client_services", "eip_sg", "HTTP(S) JSON POSTs", "request",
             protocol="HTTP 80 / HTTPS 443 per ALLOCATOR_URL",
             payload="/vm_startup (long-poll), /api/gpu_health, /api/update_inuse_status, /api/vm-metrics",
             refs=(ref("C/subscribe.py", "subscribe:requests.post", "python"),
                   ref("C/check_gpu.py", "check_gpu_health:requests.post", "python"),
                   ref("C/update_inuse_status.py", "call_api:requests.post", "python"),
                   ref("packages/client/start.sh", "/api/vm-metrics/$VM_NAME", "shell"))),
        Step(11, "client_host", "cw_logs", "agent → AWS API (HTTPS)", "async",
             protocol="AWS API over HTTPS (agent internals)",
             payload="/var/log/cloud-init-output.log, stream = VM hostname",
             refs=(ref(_UD, "/var/log/cloud-init-output.log", "shell"),
                   ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"))),
        Step(12, "client_services", "cw_logs", "watchtower → AWS API (HTTPS)", "async",
             protocol="AWS API over HTTPS (boto3 logs client)",
             payload="service logs, same group and stream",
             refs=(ref("C/logger_utils.py", "CloudAndConsoleLogger.setup_cloud_logging:watchtower.CloudWatchLogHandler",
                       "python"),)),
        Step(13, "cw_logs", "lambda_fn", "subscription filter → invoke", "trigger",
             description="The filter pattern is empty: every log event is forwarded.",
             protocol="AWS-internal invocation", payload="awslogs.data: gzip + base64",
             refs=(tref(_TMAIN, "aws_cloudwatch_log_subscription_filter.lambda_subscription", "terraform"),
                   tref(_TMAIN, "aws_lambda_permission.allow_cloudwatch", "terraform"),
                   tref("TI/lambda_function.py", "lambda_handler:gzip.decompress", "python"))),
        Step(14, "lambda_fn", "eip_sg", "HTTP 80 POST /api/vm-logs (no auth)", "request",
             protocol="HTTP 80: API_ENDPOINT has no scheme (urllib3 → http://)",
             payload="JSON {log_group, log_stream, messages[]}",
             refs=(tref(_TMAIN, "aws_lambda_function.log_processor:API_ENDPOINT", "terraform"),
                   tref("TI/lambda_function.py", "lambda_handler:http.request", "python"),
                   route("POST /api/vm-logs"))),
        Step(15, "client_services", "google_crd", "CRD host: outbound only", "async",
             protocol="Google CRD (external; not in code)",
             refs=(ref("C/connect_crd.py", "connect_to_crd:subprocess.run", "python"),)),
    )
    fragments = (
        Fragment("opt", (Section(1, 1, "dns.enabled (else users type the IP)"),)),
    )
    notes = (
        Note("TLS: ssl.staging → HTTP only, else automatic HTTPS. "
             "ssl.provider (letsencrypt | cloudflare | none) only sets the clients' URL scheme; "
             "Cloudflare: external proxy, no template handling.", node="caddy"),
        Note("\"N/A/api/vm-logs\" when DNS is disabled.", step=14),
        Note("No inbound port is opened for CRD.", step=15),
    )
    return Diagram(
        name="network-flow-enhanced",
        title="Network flow: ports, protocols and payloads",
        description=(
            "Every network hop of LabLink at the baseline: DNS, the Elastic IP and allow_http "
            "security group, Caddy on the allocator host in front of Flask on 127.0.0.1:5000, "
            "the in-container PostgreSQL, SSH to the client VMs, the VMs' HTTP(S) calls back, "
            "the CloudWatch → Lambda log path and the allocator's AWS API calls."
        ),
        priority="supplementary",
        views=("architecture", "sequence"),
        direction="TB",
        nodes=nodes, groups=groups, steps=steps, fragments=fragments, notes=notes,
        baseline=BASELINE,
    )
