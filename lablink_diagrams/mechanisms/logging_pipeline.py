"""Logging pipeline: CloudWatch Logs → subscription filter → Lambda → allocator (fact sheet §3 Diagram 4, §1.13–1.14).

Two sources write into one log group and one stream per VM: the CloudWatch
agent (tailing ``/var/log/cloud-init-output.log``) and, a path the spec left
out, the client services' ``CloudAndConsoleLogger`` with a watchtower handler.
A subscription filter with an empty pattern (all events) invokes the Lambda,
which POSTs to ``API_ENDPOINT = "${local.fqdn}/api/vm-logs"``: no scheme, so
urllib3 speaks plain http to port 80 (Caddy), and no auth.  The allocator
rewrites the whole ``logs`` text of the VM's row on every batch.  The admin's
log page polls the *public* ``GET /api/vm-logs/<hostname>``, which answers 503
while the VM is still initializing and has no logs.
"""

from __future__ import annotations

from ..model import Diagram, Fragment, Group, Node, Note, Section, Step
from ._common import BASELINE, ref, route, tref

_UD = "A/terraform/user_data.sh"
_LOG = "C/logger_utils.py"
_TI = "TI/main.tf"
_LF = "TI/lambda_function.py"
_DB = "A/database.py"


def build() -> Diagram:
    nodes = (
        # client VM host
        Node("cloud_init", "cloud-init\nuser_data.sh", "process",
             description="Everything user_data.sh prints ends up in cloud-init-output.log.",
             refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm:user_data", "terraform"),
                   ref(_UD, "send_status", "shell"))),
        Node("log_file", "/var/log/\ncloud-init-output.log", "file",
             refs=(ref(_UD, "file_path", "shell"),)),
        Node("cw_agent", "CloudWatch agent\nstream = VM hostname", "process",
             description="Installed and configured by user_data.sh; log_stream_name "
                         "lablink-vm-{env}-{i} equals the VM hostname; IAM from the instance "
                         "profile with CloudWatchAgentServerPolicy.",
             refs=(ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"),
                   ref(_UD, "log_stream_name", "shell"),
                   ref("A/terraform/main.tf", "aws_iam_policy_attachment.cloudwatch_agent_policy",
                       "terraform"))),
        # client container
        Node("watchtower", "subscribe · check_gpu ·\nupdate_inuse_status\nlogger: watchtower", "process",
             description="The client's Python services each log (logger.info / .debug / .error) through "
                         "CloudAndConsoleLogger: console + watchtower.CloudWatchLogHandler; group from env "
                         "CLOUD_INIT_LOG_GROUP, stream from env VM_NAME; creates both if missing.",
             refs=(ref("C/subscribe.py", "subscribe:CloudAndConsoleLogger", "python"),
                   ref("C/check_gpu.py", "main:CloudAndConsoleLogger", "python"),
                   ref("C/update_inuse_status.py", "main:CloudAndConsoleLogger", "python"),
                   ref(_LOG, "CloudAndConsoleLogger", "python"),
                   ref(_LOG, "CloudAndConsoleLogger.__getattr__", "python"),
                   ref(_LOG, "CloudAndConsoleLogger.setup_cloud_logging:watchtower.CloudWatchLogHandler",
                       "python"))),
        # AWS (defined by lablink-template)
        Node("log_group", "CloudWatch Logs group\nlablink-cloud-init-{env}", "storage",
             description="Retention 30 days; one stream per VM hostname.  The name reaches the VM "
                         "through template user_data (CLOUD_INIT_LOG_GROUP) → allocator container env "
                         "→ launch() tfvars → client user_data (agent config, container env).",
             refs=(tref(_TI, "aws_cloudwatch_log_group.client_vm_logs"),
                   tref(_TI, "aws_instance.lablink_allocator_server:CLOUD_INIT_LOG_GROUP"),
                   ref("A/main.py", "cloud_init_output_log_group", "python"),
                   ref(_UD, "log_group_name", "shell"))),
        Node("sub_filter", "subscription filter\npattern \"\" (all events)", "trigger",
             refs=(tref(_TI, "aws_cloudwatch_log_subscription_filter.lambda_subscription"),
                   tref(_TI, "aws_cloudwatch_log_subscription_filter.lambda_subscription:filter_pattern"))),
        Node("lambda_fn", "Lambda log_processor\nlambda_handler", "function",
             description="python3.11, timeout 10 s; its own log group /aws/lambda/lablink_log_processor_{env}.",
             refs=(tref(_TI, "aws_lambda_function.log_processor"),
                   tref(_LF, "lambda_handler"))),
        # allocator container
        Node("r_post", "receive_vm_logs\nPOST /api/vm-logs", "service",
             description="public: no auth at the baseline.",
             refs=(route("POST /api/vm-logs"), ref("A/main.py", "receive_vm_logs", "python"))),
        Node("r_admin", "get_vm_logs\nGET /admin/logs/<hostname>", "service",
             description="authenticated: HTTP Basic (admin).",
             refs=(route("GET /admin/logs/<hostname>"), ref("A/main.py", "get_vm_logs", "python"))),
        Node("r_get", "get_vm_logs_by_hostname\nGET /api/vm-logs/<hostname>", "service",
             description="public: no auth, although the page that calls it requires auth.",
             refs=(route("GET /api/vm-logs/<hostname>"),
                   ref("A/main.py", "get_vm_logs_by_hostname", "python"))),
        Node("vms_logs", "PostgreSQL (in-container)\nvms.logs: one text per VM,\ncloud-init + service logs",
             "table",
             description="Both sources share one stream per VM, so the column mixes cloud-init output "
                         "with client-service logs.",
             refs=(ref("A/generate_init_sql.py", "column Logs", "sql"),
                   ref(_DB, "PostgresqlDatabase.save_logs_by_hostname", "python"))),
        # admin browser
        Node("browser", "Admin browser\n/admin/instances →\ninstance-logs.html", "person",
             description="The 'View Logs' link on /admin/instances opens /admin/logs/<hostname>, whose "
                         "instance-logs.html polls every 5 s while auto-refresh is on.",
             refs=(ref("A/templates/instances.html", "a[href=/admin/logs/{{ vm.hostname }}]", "html"),
                   route("GET /admin/instances"),
                   ref("A/templates/instance-logs.html", "fetch(/api/vm-logs/)", "html"))),
    )
    groups = (
        Group("client_vm", "Client VM host", "vm", nodes=("log_file", "cloud_init", "cw_agent"),
              groups=("client_container",),
              refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm", "terraform"),)),
        Group("client_container", "client container", "container", nodes=("watchtower",)),
        Group("aws", "AWS", "cloud", nodes=("log_group", "lambda_fn", "sub_filter")),
        Group("allocator_container", "allocator container", "container",
              nodes=("r_post", "vms_logs", "r_get", "r_admin"),
              description="Runs on the allocator EC2, published only on 127.0.0.1:5000 behind Caddy.",
              refs=(tref(_TI, "aws_instance.lablink_allocator_server"),
                    tref("TI/user_data.sh", "docker run -d -p 127.0.0.1:5000:5000", "shell"))),
    )
    _caddy = "via Caddy on the allocator host (:80 → reverse_proxy localhost:5000)"
    steps = (
        # -- two sources, one log group ----------------------------------------------------------
        Step(1, "cloud_init", "log_file", "stdout/stderr of user_data.sh", "write",
             refs=(ref(_UD, "file_path", "shell"),)),
        Step(2, "cloud_init", "cw_agent", "install, configure, start", "subprocess",
             protocol="dpkg -i; write config.json; amazon-cloudwatch-agent-ctl -a fetch-config -m ec2",
             refs=(ref(_UD, "wget https://s3.amazonaws.com/amazoncloudwatch-agent", "shell"),
                   ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"))),
        Step(3, "cw_agent", "log_file", "tail file_path", "read",
             refs=(ref(_UD, "file_path", "shell"),)),
        Step(4, "cw_agent", "log_group", "PutLogEvents", "async",
             protocol="AWS API over HTTPS (AWS-internal, not LabLink code)",
             payload="log_group_name ${cloud_init_output_log_group}, stream lablink-vm-{env}-{i}",
             refs=(ref(_UD, "log_group_name", "shell"), ref(_UD, "log_stream_name", "shell"))),
        Step(5, "watchtower", "log_group", "PutLogEvents (stream VM_NAME)", "async",
             protocol="boto3 logs client via watchtower (AWS-internal batching)",
             payload="group env CLOUD_INIT_LOG_GROUP, stream env VM_NAME: the agent's group and stream",
             refs=(ref(_LOG, "CloudAndConsoleLogger.setup_cloud_logging:watchtower.CloudWatchLogHandler",
                       "python"),
                   ref(_LOG, "CloudAndConsoleLogger.__init__:os.getenv", "python"))),
        # -- AWS delivers to the Lambda -----------------------------------------------------------
        Step(6, "log_group", "sub_filter", "every event matches", "trigger",
             protocol="filter_pattern \"\"",
             refs=(tref(_TI, "aws_cloudwatch_log_subscription_filter.lambda_subscription:filter_pattern"),)),
        Step(7, "sub_filter", "lambda_fn", "invoke", "trigger",
             protocol="AWS-internal invocation (lambda:InvokeFunction by logs.amazonaws.com)",
             payload="event awslogs.data (gzip + base64)",
             refs=(tref(_TI, "aws_cloudwatch_log_subscription_filter.lambda_subscription:destination_arn"),
                   tref(_TI, "aws_lambda_permission.allow_cloudwatch"))),
        Step(8, "lambda_fn", "r_post", "POST /api/vm-logs {log_group, log_stream, messages}", "request",
             protocol="urllib3; API_ENDPOINT has no scheme → http://, port 80, " + _caddy + "; no auth",
             blocking=True,
             payload="decoded with gzip.decompress(base64.b64decode(data))",
             refs=(tref(_TI, "aws_lambda_function.log_processor:API_ENDPOINT"),
                   tref(_LF, "lambda_handler:gzip.decompress"),
                   tref(_LF, "lambda_handler:http.request"),
                   tref("TI/user_data.sh", "apt-get install -y caddy", "shell"),
                   tref("TI/user_data.sh", "reverse_proxy localhost:5000", "shell"))),
        Step(9, "r_post", "vms_logs", "vm_exists(log_stream)", "read",
             refs=(ref("A/main.py", "receive_vm_logs:vm_exists", "python"),
                   ref(_DB, "PostgresqlDatabase.vm_exists", "python"))),
        Step(10, "r_post", "vms_logs", "get_vm_logs + save_logs_by_hostname", "write",
             payload="UPDATE … SET logs = old + '\\n' + new WHERE hostname = log_stream",
             description="The whole text is re-read and rewritten on every batch.",
             refs=(ref("A/main.py", "receive_vm_logs:get_vm_logs", "python"),
                   ref("A/main.py", "receive_vm_logs:save_logs_by_hostname", "python"),
                   ref(_DB, "PostgresqlDatabase.get_vm_logs", "python"),
                   ref(_DB, "PostgresqlDatabase.save_logs_by_hostname", "python"))),
        Step(11, "r_post", "lambda_fn", "200", "response", reply_to=8,
             refs=(ref("A/main.py", "receive_vm_logs", "python"),)),
        Step(12, "r_post", "lambda_fn", "400 / 404: Lambda raises", "response", reply_to=8,
             description="400 is returned before step 9 when log_group, log_stream or messages is "
                         "missing; 404 when no row has hostname = log_stream.  lambda_handler raises "
                         "RuntimeError on any status other than 200.",
             refs=(ref("A/main.py", "receive_vm_logs:jsonify", "python"),
                   ref("A/main.py", "receive_vm_logs:vm_exists", "python"),
                   tref(_LF, "lambda_handler:RuntimeError"))),
        # -- admin reads the logs ---------------------------------------------------------------
        Step(13, "browser", "r_admin", "GET /admin/logs/<hostname> (Basic auth)", "request",
             protocol="'View Logs' link on /admin/instances; " + _caddy,
             refs=(ref("A/templates/instances.html", "a[href=/admin/logs/{{ vm.hostname }}]", "html"),
                   route("GET /admin/logs/<hostname>"))),
        Step(14, "r_admin", "browser", "renders instance-logs.html", "response", reply_to=13,
             description="404 if the hostname has no row.",
             refs=(ref("A/main.py", "get_vm_logs:render_template", "python"),)),
        Step(15, "browser", "r_get", "GET /api/vm-logs/<hostname> (public)", "request",
             protocol="fetch, every 5 s while auto-refresh is on; " + _caddy,
             refs=(ref("A/templates/instance-logs.html", "fetch(/api/vm-logs/)", "html"),
                   route("GET /api/vm-logs/<hostname>"))),
        Step(16, "r_get", "vms_logs", "get_vm_by_hostname, get_vm_logs", "read",
             refs=(ref("A/main.py", "get_vm_logs_by_hostname:get_vm_by_hostname", "python"),
                   ref("A/main.py", "get_vm_logs_by_hostname:get_vm_logs", "python"))),
        Step(17, "r_get", "browser", "503 \"VM is installing CloudWatch agent.\"", "response", reply_to=15,
             refs=(ref("A/main.py", "get_vm_logs_by_hostname:status", "python"),
                   ref("A/templates/instance-logs.html", "fetch(/api/vm-logs/)", "html"))),
        Step(18, "r_get", "browser", "200 {hostname, logs}", "response", reply_to=15,
             refs=(ref("A/main.py", "get_vm_logs_by_hostname", "python"),)),
    )
    fragments = (
        Fragment("par", (Section(4, 4, "CloudWatch agent"),
                         Section(5, 5, "watchtower handler"))),
        Fragment("alt", (Section(10, 11, "VM row exists"),
                         Section(12, 12, "fields missing or unknown log_stream"))),
        Fragment("loop", (Section(15, 18, "every 5 s"),)),
        Fragment("alt", (Section(17, 17, "logs NULL and status = initializing"),
                         Section(18, 18, "otherwise"))),
    )
    notes = (
        Note("Both sources share one stream per VM, so the logs column mixes cloud-init output "
             "with client-service logs.", step=5),
        Note("API_ENDPOINT = \"${local.fqdn}/api/vm-logs\": no scheme, so plain http to port 80 "
             "(Caddy); \"N/A/api/vm-logs\" when DNS is disabled.", step=8),
        Note("Every batch re-reads and rewrites the VM's whole logs text.", step=10),
        Note("status = initializing comes from cloud-init's first curl, sent before the agent is "
             "installed (see vm-provisioning).", step=17),
    )
    return Diagram(
        name="logging-pipeline",
        title="Logging pipeline: CloudWatch → Lambda → allocator",
        description=(
            "Client-VM logs reach the admin's browser in four hops: the CloudWatch agent (cloud-init "
            "output) and the client services' watchtower handler write to one CloudWatch Logs group, "
            "a subscription filter with an empty pattern invokes a Lambda, the Lambda POSTs each "
            "batch over plain http without auth to the allocator, which appends it to the VM's logs "
            "column; the admin's log page polls the public GET /api/vm-logs/<hostname>."
        ),
        priority="essential",
        views=("architecture", "sequence"),
        direction="TB",
        nodes=nodes, groups=groups, steps=steps, fragments=fragments, notes=notes,
        baseline=BASELINE,
    )
