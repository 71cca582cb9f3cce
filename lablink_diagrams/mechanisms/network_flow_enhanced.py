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
        Node("route53", "Route53 A record\n(conditional)", "cloud",
             description="Created only when dns.enabled and dns.terraform_managed; TTL 300, "
                         "points the FQDN at the Elastic IP.",
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
        Node("terraform", "Terraform CLI\n(subprocess)", "process",
             description="Terraform 1.4.6 baked into the allocator image; run by /api/launch, /destroy "
                         "and /api/scp-client with cwd = the package's terraform/ folder.",
             refs=(ref("packages/allocator/Dockerfile", "terraform_1.4.6_linux_amd64.zip", "dockerfile"),
                   ref("A/main.py", "launch:subprocess.run", "python"))),
        Node("postgres", "PostgreSQL (in-container)\nlocalhost:5432", "database",
             description="Installed in the allocator image and started by its start.sh; port 5432 is "
                         "never published (pg_hba.conf would allow md5 from 0.0.0.0/0).",
             refs=(ref("A/conf/config.yaml", "db.host", "config"),
                   ref("A/conf/config.yaml", "db.port", "config"),
                   ref("packages/allocator/Dockerfile", "postgresql postgresql-contrib", "dockerfile"),
                   ref("packages/allocator/start.sh", "pg_ctlcluster 17 main restart", "shell"))),
        Node("client_ssh", "SSH login ubuntu@<ip>\nSG lablink_sg: inbound 22 only", "service",
             description="The client VM's only inbound port.",
             refs=(ref("A/terraform/main.tf", "aws_security_group.lablink_sg", "terraform"),
                   ref("A/utils/scp.py", "find_files_in_container:ssh_cmd", "python"))),
        Node("cloud_init", "cloud-init user_data.sh\n(curl)", "process",
             refs=(ref(_UD, "send_status", "shell"),
                   ref(_UD, "STATUS_ENDPOINT=", "shell"))),
        Node("cw_agent", "CloudWatch agent", "process",
             description="Ships /var/log/cloud-init-output.log; IAM from the VM's instance profile.",
             refs=(ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"),
                   ref("A/terraform/main.tf", "aws_iam_instance_profile.lablink_instance_profile", "terraform"))),
        Node("client_services", "client services (--network host)\nsubscribe · check_gpu · update_inuse_status",
             "process",
             description="Started by the container's start.sh; the container shares the host's network.",
             refs=(ref(_UD, "--network host", "shell"),
                   ref("packages/client/start.sh", "subscribe", "shell"),
                   ref("packages/client/start.sh", "check_gpu", "shell"),
                   ref("packages/client/start.sh", "update_inuse_status", "shell"))),
        Node("crd_host", "CRD host (start-host)", "process",
             refs=(ref("C/connect_crd.py", "construct_command", "python"),)),
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
    groups = (
        Group("allocator_ec2", "Allocator EC2", "host",
              nodes=("eip_sg", "caddy"), groups=("allocator_container",),
              refs=(tref(_TMAIN, "aws_instance.lablink_allocator_server", "terraform"),)),
        Group("allocator_container", "allocator container", "container",
              nodes=("flask", "terraform", "postgres")),
        Group("client_vm", "Client VM (×N)", "vm",
              nodes=("client_ssh", "cloud_init", "cw_agent"), groups=("client_container",),
              refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm", "terraform"),)),
        Group("client_container", "client container", "container",
              nodes=("client_services", "crd_host")),
        Group("aws", "AWS services", "cloud",
              nodes=("route53", "cw_logs", "lambda_fn", "aws_apis")),
        Group("google", "External (Google)", "external", nodes=("google_crd",)),
    )
    steps = (
        Step(1, "user", "route53", "DNS: FQDN → Elastic IP", "request",
             protocol="DNS 53", payload="A record, TTL 300",
             refs=(tref(_TMAIN, "aws_route53_record.lablink_a_record:ttl", "terraform"),
                   tref(_TMAIN, "aws_route53_record.lablink_a_record:records", "terraform"))),
        Step(2, "user", "eip_sg", "HTTPS 443 (HTTP 80 if staging)", "request",
             protocol="TCP 80/443, SG allow_http",
             payload="GET /, POST /api/request_vm (form), /admin/* (Basic auth)",
             refs=(tref(_TMAIN, "aws_security_group.allow_http", "terraform"),
                   ref("A/templates/index.html", "form[action=/api/request_vm]", "html"))),
        Step(3, "eip_sg", "caddy", "→ Caddy :443 / :80 on the host", "request",
             protocol="EIP association (AWS networking)",
             refs=(tref(_TMAIN, "aws_eip_association.lablink_allocator_ip_assoc", "terraform"),)),
        Step(4, "caddy", "flask", "HTTP → localhost:5000", "request",
             protocol="HTTP, TLS ends at Caddy", payload="proxied request",
             refs=(tref(_TUD, "reverse_proxy localhost:5000", "shell"),
                   tref(_TUD, "docker run -d -p 127.0.0.1:5000:5000", "shell"))),
        Step(5, "flask", "postgres", "SQL → localhost:5432", "sql",
             protocol="PostgreSQL (psycopg2), in-container",
             payload="SELECT / UPDATE / upserts; LISTEN vm_updates",
             refs=(ref("A/main.py", "init_database:PostgresqlDatabase", "python"),
                   ref("A/database.py", "PostgresqlDatabase.__init__:psycopg2.connect", "python"))),
        Step(6, "flask", "terraform", "terraform apply / destroy / output", "subprocess",
             protocol="subprocess.run, cwd terraform/",
             refs=(ref("A/main.py", "launch:subprocess.run", "python"),
                   ref("A/utils/terraform_utils.py", "get_instance_ips:subprocess.run", "python"))),
        Step(7, "terraform", "aws_apis", "HTTPS: EC2/IAM, S3 state, DynamoDB lock", "request",
             protocol="AWS API over HTTPS",
             payload="client VMs, SG, key pair; state key {env}/client/terraform.tfstate",
             refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm", "terraform"),
                   ref("A/terraform/backend-client-prod.hcl", "dynamodb_table", "terraform"))),
        Step(8, "flask", "aws_apis", "HTTPS (boto3): DescribeInstanceTypes, S3 put", "request",
             protocol="AWS API over HTTPS",
             payload="GPU check for the machine type; tfvars copy to the state bucket",
             refs=(ref("A/utils/aws_utils.py", "check_support_nvidia:boto3.client", "python"),
                   ref("A/utils/aws_utils.py", "upload_to_s3:boto3.client", "python"))),
        Step(9, "flask", "client_ssh", "SSH 22 (Terraform-generated key)", "request",
             protocol="SSH 22, user ubuntu, StrictHostKeyChecking=no",
             payload="docker exec find · docker cp · ls · rsync -avz (pull)",
             refs=(ref("A/utils/terraform_utils.py", "get_ssh_private_key", "python"),
                   ref("A/terraform/main.tf", "tls_private_key.lablink_key", "terraform"),
                   ref("A/utils/scp.py", "rsync_files_to_allocator:cmd", "python"))),
        Step(10, "cloud_init", "eip_sg", "HTTP(S) POST /api/vm-status, /api/vm-metrics", "request",
             protocol="HTTP 80 / HTTPS 443 per ALLOCATOR_URL (curl --max-time 5)",
             payload="JSON {hostname, status}; cloud_init_* timings",
             refs=(ref(_UD, "send_status", "shell"),
                   ref(_UD, "/api/vm-metrics/$VM_NAME", "shell"),
                   ref("A/utils/config_helpers.py", "get_allocator_url", "python"))),
        Step(11, "client_services", "eip_sg", "HTTP(S) JSON POSTs to the allocator", "request",
             protocol="HTTP 80 / HTTPS 443 per ALLOCATOR_URL",
             payload="/vm_startup (long-poll), /api/gpu_health, /api/update_inuse_status, /api/vm-metrics",
             refs=(ref("C/subscribe.py", "subscribe:requests.post", "python"),
                   ref("C/check_gpu.py", "check_gpu_health:requests.post", "python"),
                   ref("C/update_inuse_status.py", "call_api:requests.post", "python"),
                   ref("packages/client/start.sh", "/api/vm-metrics/$VM_NAME", "shell"))),
        Step(12, "cw_agent", "cw_logs", "AWS API (HTTPS): ship cloud-init log", "async",
             protocol="AWS API over HTTPS (agent internals)",
             payload="/var/log/cloud-init-output.log, stream = VM hostname",
             refs=(ref(_UD, "/var/log/cloud-init-output.log", "shell"),
                   ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"))),
        Step(13, "client_services", "cw_logs", "AWS API (HTTPS): watchtower handler", "async",
             protocol="AWS API over HTTPS (boto3 logs client)",
             payload="service logs, same group and stream",
             refs=(ref("C/logger_utils.py", "CloudAndConsoleLogger.setup_cloud_logging:watchtower.CloudWatchLogHandler",
                       "python"),)),
        Step(14, "cw_logs", "lambda_fn", "subscription filter (all events) → invoke", "trigger",
             protocol="AWS-internal invocation", payload="awslogs.data: gzip + base64",
             refs=(tref(_TMAIN, "aws_cloudwatch_log_subscription_filter.lambda_subscription", "terraform"),
                   tref(_TMAIN, "aws_lambda_permission.allow_cloudwatch", "terraform"),
                   tref("TI/lambda_function.py", "lambda_handler:gzip.decompress", "python"))),
        Step(15, "lambda_fn", "eip_sg", "HTTP 80 POST /api/vm-logs (no auth)", "request",
             protocol="HTTP 80: API_ENDPOINT has no scheme (urllib3 → http://)",
             payload="JSON {log_group, log_stream, messages[]}",
             refs=(tref(_TMAIN, "aws_lambda_function.log_processor:API_ENDPOINT", "terraform"),
                   tref("TI/lambda_function.py", "lambda_handler:http.request", "python"),
                   route("POST /api/vm-logs"))),
        Step(16, "crd_host", "google_crd", "outbound only (protocol not in code)", "async",
             protocol="Google CRD (external)",
             refs=(ref("C/connect_crd.py", "connect_to_crd:subprocess.run", "python"),)),
    )
    fragments = (
        Fragment("opt", (Section(1, 1, "dns.enabled (else users type the IP)"),)),
    )
    notes = (
        Note("Record made by Terraform only if dns.terraform_managed; otherwise by hand.", node="route53"),
        Note("Every inbound HTTP(S) hop (steps 2, 10, 11, 15) continues via steps 3–4: "
             "Caddy → Flask.", node="eip_sg"),
        Note("TLS: ssl.staging=true → Caddyfile http://DOMAIN (HTTP only); otherwise Caddy's "
             "automatic HTTPS (Let's Encrypt). ssl.provider (letsencrypt | cloudflare | none, "
             "SSLConfig) is read by Terraform but unused there; it only sets the scheme of the "
             "clients' ALLOCATOR_URL. Cloudflare would be an external proxy the operator sets up; "
             "the template has no handling for it.", node="caddy"),
        Note("No RDS, no ALB, no ACM at this commit: the database is in-container.", node="postgres"),
        Note("Port 53 and the HTTPS transport of AWS APIs are standard AWS behaviour, not LabLink code.",
             node="aws_apis"),
        Note("Endpoint is \"N/A/api/vm-logs\" when DNS is disabled.", step=15),
        Note("No inbound port is opened for CRD.", step=16),
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
        direction="LR",
        nodes=nodes, groups=groups, steps=steps, fragments=fragments, notes=notes,
        baseline=BASELINE,
    )
