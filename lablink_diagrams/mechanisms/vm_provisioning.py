"""VM provisioning: launch → Terraform subprocess → cloud-init → client container (fact sheet §3 Diagram 2, §1.6–1.9).

What the spec got wrong and this model states instead:

- Terraform is not a separate service: ``launch()`` runs the Terraform 1.4.6 CLI
  as a blocking ``subprocess.run`` inside the allocator container.
- Rows are created by upserts (cloud-init's first ``initializing`` status, the
  Terraform timing upsert), never by ``insert_vm``.
- ``/api/vm-metrics/<hostname>`` is POSTed twice (cloud-init, then start.sh),
  not once per phase; statuses go to ``/api/vm-status``.
- ``running`` is sent right after ``docker run -dit`` returns, before start.sh
  has cloned anything or started a service.
- The Terraform "apply time" is EC2 creation time (``time_static`` start/end),
  not time to cloud-init finished.
- Two "3-phase" definitions exist.  The cloud-init steps are labelled with the
  **user_data phases** (1 CloudWatch → 2 GPU/Docker → 3 pull & run); the DB
  timing phases (Terraform apply, cloud-init, container) are the three
  durations the timing steps store, named as such in their labels.

Layout: the admin's two routes (``launch``, ``destroy``) share one box, and so do
the VM's two feedback routes (``/api/vm-status``, ``/api/vm-metrics``): each box
keeps every route's refs, and the steps name the route they call, so the
sequence keeps every fact while the figure loses two columns.
"""

from __future__ import annotations

from ..model import Diagram, Fragment, Group, Node, Note, Section, Step
from ._common import BASELINE, ref, route, tref

_TF = "A/terraform/main.tf"
_UD = "A/terraform/user_data.sh"
_DB = "A/database.py"
_CS = "packages/client/start.sh"
_AWS = "A/utils/aws_utils.py"
_CURL = "curl, --max-time 5, failure ignored, no auth"


def build() -> Diagram:
    nodes = (
        Node("admin", "Admin (browser)", "person",
             description="create-instances.html and dashboard.html; HTTP Basic auth (admin_user / "
                         "admin_password) on /admin/*, /api/launch, /destroy.",
             refs=(route("GET /admin/create"),
                   ref("A/templates/create-instances.html", "form[action=/api/launch]", "html"),
                   ref("A/templates/dashboard.html", "fetch(/api/vm-status)", "html"))),
        # allocator container
        Node("fleet", "launch() · destroy()\nPOST /api/launch · /destroy", "service",
             description="Both authenticated (login_required).  launch: total_vms = num_vms + existing "
                         "rows, so every apply targets the whole fleet.  destroy: form on "
                         "/admin/instances/delete.",
             refs=(route("POST /api/launch"), ref("A/main.py", "launch", "python"),
                   route("POST /destroy"), ref("A/main.py", "destroy", "python"))),
        Node("terraform", "Terraform 1.4.6 CLI\n(subprocess, cwd terraform/)", "process",
             description="Installed in the allocator image; runs the client-VM configuration packaged "
                         "with the allocator (main.tf, outputs.tf, user_data.sh).",
             refs=(ref("packages/allocator/Dockerfile", "terraform/1.4.6", "dockerfile"),
                   ref("A/main.py", "TERRAFORM_DIR", "python"))),
        Node("vm_api", "/api/vm-status (POST, GET)\n/api/vm-metrics/<hostname>", "service",
             description="public, no auth at the baseline: POST update_vm_status (upsert), GET "
                         "get_all_vm_status, POST receive_vm_metrics (404 unless the hostname has a row).",
             refs=(route("POST /api/vm-status"), route("GET /api/vm-status"),
                   ref("A/main.py", "update_vm_status", "python"),
                   ref("A/main.py", "get_all_vm_status", "python"),
                   route("POST /api/vm-metrics/<hostname>"),
                   ref("A/main.py", "receive_vm_metrics", "python"))),
        Node("vms", "PostgreSQL (in-container)\nvms table: status, timings", "table",
             description="The allocator's own PostgreSQL, inside its container.  One row per hostname; TerraformApply*, CloudInit*, ContainerStartup*, "
                         "TotalStartupDurationSeconds.",
             refs=(ref("A/generate_init_sql.py", "column TerraformApplyDurationSeconds", "sql"),
                   ref("A/generate_init_sql.py", "column TotalStartupDurationSeconds", "sql"))),
        # AWS
        Node("ec2_api", "AWS EC2 API", "cloud", external=True,
             description="AWS's API (describe_instance_types); only the boto3 call is LabLink's code."),
        Node("state", "S3 + DynamoDB lock\nTF state, tfvars copy", "storage",
             description="S3 backend with backend-client-{env}.hcl (key {env}/client/terraform.tfstate, "
                         "dynamodb_table lock-table) in prod/test/ci-test; local state otherwise. "
                         "Not used for VM data.",
             refs=(ref("A/terraform/backend.tf", "terraform:backend", "terraform"),
                   ref("A/terraform/backend-client-prod.hcl", "dynamodb_table", "terraform"),
                   ref(_AWS, "upload_to_s3", "python"))),
        Node("tf_resources", "client-VM resources (main.tf)\nSG :22 · IAM + CW policy\n"
             "key pair · aws_instance × N", "cloud",
             description="time_static.start/end around aws_instance.lablink_vm (count = instance_count, "
                         "80 GB gp3, user_data = templatefile(user_data.sh), Name lablink-vm-{env}-{i}); "
                         "IAM role + instance profile with CloudWatchAgentServerPolicy.",
             refs=(ref(_TF, "aws_instance.lablink_vm", "terraform"),
                   ref(_TF, "aws_security_group.lablink_sg:ingress", "terraform"),
                   ref(_TF, "aws_iam_role.cloud_watch_agent_role", "terraform"),
                   ref(_TF, "aws_iam_policy_attachment.cloudwatch_agent_policy", "terraform"),
                   ref(_TF, "aws_iam_instance_profile.lablink_instance_profile", "terraform"),
                   ref(_TF, "aws_key_pair.lablink_key_pair", "terraform"),
                   ref(_TF, "time_static.start", "terraform"),
                   ref(_TF, "time_static.end", "terraform"))),
        # client VM
        Node("cloud_init", "cloud-init\nuser_data.sh", "process",
             description="Runs once at first boot as root; VM_NAME = lablink-vm-{env}-{i}.",
             refs=(ref(_TF, "aws_instance.lablink_vm:user_data", "terraform"),
                   ref(_UD, "send_status", "shell"))),
        Node("cw_agent", "CloudWatch agent", "process",
             description="Ships /var/log/cloud-init-output.log (see logging-pipeline).",
             refs=(ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"),)),
        Node("docker", "Docker engine", "process",
             description="On the VM host; reconfigured for GPUs, pulls the client image and runs the "
                         "container (docker run, step 19).",
             refs=(ref(_UD, "docker pull", "shell"), ref(_UD, "docker run -dit", "shell"))),
        Node("start_sh", "start.sh\n(entrypoint)", "process",
             refs=(ref(_CS, "CONTAINER_START_TIME=$(date +%s)", "shell"),
                   ref("packages/client/Dockerfile", "start.sh", "dockerfile"))),
        Node("services", "subscribe · check_gpu\nupdate_inuse_status", "process",
             description="The three long-running client processes (see crd-connection, monitoring).",
             refs=(ref(_CS, "subscribe", "shell"), ref(_CS, "update_inuse_status", "shell"),
                   ref(_CS, "check_gpu", "shell"))),
    )
    groups = (
        Group("aws", "AWS", "cloud", nodes=("tf_resources", "state")),
        Group("allocator_container", "allocator container (Allocator EC2)", "container",
              nodes=("vms", "vm_api", "fleet", "terraform"),
              refs=(tref("TI/main.tf", "aws_instance.lablink_allocator_server", "terraform"),
                    ref("packages/allocator/Dockerfile", "terraform/1.4.6", "dockerfile"))),
        Group("client_vm", "Client VM (× N, created by Terraform)", "vm",
              nodes=("docker", "cw_agent", "cloud_init"), groups=("client_container",),
              refs=(ref(_TF, "aws_instance.lablink_vm", "terraform"),)),
        Group("client_container", "client container", "container",
              nodes=("services", "start_sh")),
    )
    steps = (
        # -- launch (admin → allocator) ---------------------------------------------------------
        Step(1, "admin", "fleet", "POST /api/launch (num_vms)", "request",
             protocol="HTML form post from GET /admin/create, Basic auth", blocking=True,
             refs=(ref("A/templates/create-instances.html", "form[action=/api/launch]", "html"),
                   ref("A/templates/create-instances.html", "input[name=num_vms]", "html"),
                   route("POST /api/launch"))),
        Step(2, "fleet", "vms", "get_row_count: total = num_vms + rows", "read",
             refs=(ref("A/main.py", "launch:total_vms", "python"),
                   ref(_DB, "PostgresqlDatabase.get_row_count", "python"))),
        Step(3, "fleet", "ec2_api", "describe_instance_types", "request",
             protocol="boto3, in check_support_nvidia(machine_type)", blocking=True,
             description="gpu_support = any GPU whose manufacturer contains NVIDIA.",
             refs=(ref("A/main.py", "launch:check_support_nvidia", "python"),
                   ref(_AWS, "check_support_nvidia:ec2.describe_instance_types", "python"))),
        Step(4, "fleet", "terraform", "write terraform.runtime.tfvars", "write",
             payload="allocator_ip, allocator_url, machine_type, image_name, repository, client_ami_id, "
                     "subject_software, resource_suffix, gpu_support, cloud_init_output_log_group, "
                     "region, startup_on_error",
             description="Written into Terraform's working directory, read by -var-file.  allocator_url "
                         "from get_allocator_url: https only when ssl.provider != none and not staging.",
             refs=(ref("A/main.py", "launch:get_allocator_url", "python"),
                   ref("A/utils/config_helpers.py", "get_allocator_url", "python"),
                   ref("A/main.py", "launch:runtime_file", "python"),
                   ref("A/main.py", "launch:runtime_file.open", "python"))),
        Step(5, "fleet", "terraform", "terraform apply, instance_count=N", "subprocess", blocking=True,
             payload="-auto-approve -var-file=terraform.runtime.tfvars -var=instance_count=N; N = total_vms",
             protocol="subprocess.run(check=True, capture_output=True), cwd terraform/; blocks the "
                      "request until apply exits",
             refs=(ref("A/main.py", "launch:apply_cmd", "python"),
                   ref("A/main.py", "launch:subprocess.run", "python"))),
        Step(6, "terraform", "state", "state lock + read/write", "request",
             protocol="AWS API (S3 backend, DynamoDB lock-table)",
             refs=(ref("A/terraform/backend.tf", "terraform:backend", "terraform"),
                   ref("A/terraform/backend-client-prod.hcl", "dynamodb_table", "terraform"))),
        Step(7, "terraform", "tf_resources", "create SG, IAM, key pair, N × EC2", "request",
             protocol="AWS API", blocking=True,
             description="Each instance gets user_data = user_data.sh.  time_static.end depends_on the "
                         "instances: it marks EC2 creation, not cloud-init completion.",
             refs=(ref(_TF, "aws_instance.lablink_vm", "terraform"),
                   ref(_TF, "aws_instance.lablink_vm:user_data", "terraform"),
                   ref(_TF, "time_static.end", "terraform"))),
        Step(8, "fleet", "state", "upload_to_s3(tfvars)", "write",
             payload="s3://{bucket}/{env}/client/terraform.runtime.tfvars",
             description="After apply returned exit 0 (check=True raises otherwise).",
             refs=(ref("A/main.py", "launch:upload_to_s3", "python"),
                   ref(_AWS, "upload_to_s3:s3.upload_file", "python"))),
        Step(9, "fleet", "terraform", "terraform output -json", "subprocess", blocking=True,
             payload="instance_terraform_apply_times: {hostname: {seconds, start_time, end_time}}",
             refs=(ref("A/main.py", "launch:get_instance_timings", "python"),
                   ref("A/utils/terraform_utils.py", "get_instance_timings:subprocess.run", "python"),
                   ref("A/terraform/outputs.tf", "output.instance_terraform_apply_times", "terraform"))),
        Step(10, "fleet", "vms", "update_terraform_timing (upsert)", "sql",
             payload="TerraformApply{Start,End,Duration}; INSERT … ON CONFLICT (hostname) DO UPDATE",
             description="DB timing phase 1 (Terraform apply).",
             refs=(ref("A/main.py", "launch:update_terraform_timing", "python"),
                   ref(_DB, "PostgresqlDatabase.update_terraform_timing", "python"))),
        Step(11, "fleet", "admin", "dashboard.html (apply output)", "response", reply_to=1,
             refs=(ref("A/main.py", "launch:clean_output", "python"),
                   ref("A/main.py", "launch:output", "python"))),
        Step(12, "admin", "vm_api", "GET /api/vm-status", "request",
             protocol="dashboard.html fetch, auto-refresh every 5 s",
             refs=(ref("A/templates/dashboard.html", "fetch(/api/vm-status)", "html"),
                   route("GET /api/vm-status"))),
        Step(13, "vm_api", "vms", "SELECT hostname, status", "read",
             refs=(ref(_DB, "PostgresqlDatabase.get_all_vm_status", "python"),)),
        # -- each new client VM: cloud-init (user_data phases) -----------------------------------
        Step(14, "cloud_init", "vm_api", "vm-status: initializing", "request",
             protocol="POST /api/vm-status {hostname, status}; " + _CURL,
             description="First action of user_data.sh (after CLOUD_INIT_START_TIME).",
             refs=(ref(_UD, 'send_status "initializing"', "shell"),
                   ref(_UD, "CLOUD_INIT_START_TIME=$(date +%s)", "shell"))),
        Step(15, "vm_api", "vms", "upsert (may create the row)", "sql",
             payload="update_vm_status: INSERT … ON CONFLICT (hostname) DO UPDATE SET status",
             refs=(ref("A/main.py", "update_vm_status:update_vm_status", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_status", "python"),
                   ref(_DB, "statement ON CONFLICT", "sql"))),
        Step(16, "cloud_init", "cw_agent", "phase 1: CloudWatch agent", "subprocess",
             protocol="wget .deb, dpkg -i, write config, amazon-cloudwatch-agent-ctl -a fetch-config -m ec2",
             refs=(ref(_UD, "wget https://s3.amazonaws.com/amazoncloudwatch-agent", "shell"),
                   ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"))),
        Step(17, "cloud_init", "docker", "phase 2: GPU runtime", "subprocess",
             protocol="nvidia default runtime in daemon.json, systemctl restart docker",
             description="Only when nvidia-smi exists and gpu_support = true; else CPU.",
             refs=(ref(_UD, "command -v nvidia-smi", "shell"),
                   ref(_UD, "systemctl restart docker", "shell"))),
        Step(18, "cloud_init", "docker", "phase 3: docker pull", "subprocess",
             protocol="docker pull <image>",
             refs=(ref(_UD, "docker pull", "shell"),)),
        Step(19, "cloud_init", "start_sh", "phase 3: docker run -dit", "async",
             protocol="docker run -dit --network host: the engine starts the container, whose "
                      "entrypoint is start.sh; returns at once",
             payload="env ALLOCATOR_HOST, ALLOCATOR_URL, TUTORIAL_REPO_TO_CLONE, VM_NAME, SUBJECT_SOFTWARE, "
                     "CLOUD_INIT_LOG_GROUP, AWS_REGION, STARTUP_ON_ERROR; /etc/config → /docker_scripts",
             refs=(ref(_UD, "docker run -dit", "shell"), ref(_UD, "--network host", "shell"),
                   ref("packages/client/Dockerfile", "start.sh", "dockerfile"))),
        # cloud-init goes on while the container starts
        Step(20, "cloud_init", "vm_api", "vm-status: running | error", "request",
             protocol="POST /api/vm-status {hostname, status}; " + _CURL,
             description="'error' (then exit 1) when the agent install, the pull or the run fails.",
             refs=(ref(_UD, 'send_status "running"', "shell"), ref(_UD, 'send_status "error"', "shell"))),
        Step(21, "vm_api", "vms", "upsert status = running", "sql",
             refs=(ref(_DB, "PostgresqlDatabase.update_vm_status", "python"),)),
        Step(22, "cloud_init", "vm_api", "vm-metrics: cloud_init_*", "request",
             protocol="POST /api/vm-metrics/<hostname>; " + _CURL,
             payload="cloud_init_start, cloud_init_end, cloud_init_duration_seconds",
             refs=(ref(_UD, 'curl -s -X POST "$ALLOCATOR_URL/api/vm-metrics/$VM_NAME"', "shell"),)),
        Step(23, "vm_api", "vms", "DB phase 2 (cloud-init)", "sql",
             description="update_vm_metrics stores CloudInit*; calculate_total_startup_time runs after it.",
             refs=(ref("A/main.py", "receive_vm_metrics:update_vm_metrics", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_metrics", "python"),
                   ref("A/main.py", "receive_vm_metrics:calculate_total_startup_time", "python"))),
        # container
        Step(24, "start_sh", "services", "git clone, then 3 services (&)", "subprocess",
             protocol="git clone tutorial repo; /docker_scripts/custom-startup.sh if present; then "
                      "subscribe &, update_inuse_status &, check_gpu &",
             refs=(ref(_CS, "git clone", "shell"), ref(_CS, "bash /docker_scripts/custom-startup.sh", "shell"),
                   ref(_CS, "subscribe", "shell"), ref(_CS, "update_inuse_status", "shell"),
                   ref(_CS, "check_gpu", "shell"))),
        Step(25, "start_sh", "vm_api", "vm-metrics: container_*", "request",
             protocol="POST /api/vm-metrics/<hostname>; " + _CURL,
             payload="container_start_time, container_end_time, container_startup_duration_seconds",
             refs=(ref(_CS, 'curl -X POST "$ALLOCATOR_URL/api/vm-metrics/$VM_NAME"', "shell"),
                   ref(_CS, "container_start_time", "shell"))),
        Step(26, "vm_api", "vms", "DB phase 3: duration only", "sql",
             description="update_vm_metrics looks for container_start / container_end, so "
                         "ContainerStartTime/EndTime stay NULL; Total = Terraform + cloud-init + "
                         "container durations, only when all three are non-null.",
             refs=(ref(_DB, "PostgresqlDatabase.update_vm_metrics", "python"),
                   ref("A/generate_init_sql.py", "column ContainerStartTime", "sql"),
                   ref(_DB, "PostgresqlDatabase.calculate_total_startup_time", "python"))),
        # -- teardown ---------------------------------------------------------------------------
        Step(27, "admin", "fleet", "POST /destroy", "request", blocking=True,
             protocol="HTML form post, Basic auth",
             refs=(ref("A/templates/delete-instances.html", "form[action=/destroy]", "html"),
                   route("POST /destroy"))),
        Step(28, "fleet", "terraform", "terraform destroy", "subprocess", blocking=True,
             payload="-auto-approve -var-file=terraform.runtime.tfvars",
             refs=(ref("A/main.py", "destroy:apply_cmd", "python"),
                   ref("A/main.py", "destroy:subprocess.run", "python"))),
        Step(29, "terraform", "tf_resources", "destroy all client-VM resources", "request",
             protocol="AWS API",
             refs=(ref(_TF, "aws_instance.lablink_vm", "terraform"),)),
        Step(30, "fleet", "vms", "clear_database: DELETE all", "sql",
             refs=(ref("A/main.py", "destroy:clear_database", "python"),
                   ref(_DB, "PostgresqlDatabase.clear_database", "python"))),
    )
    fragments = (
        Fragment("par", (Section(8, 13, "allocator finishes launch()"),
                         Section(14, 26, "each new client VM boots"))),
        Fragment("loop", (Section(12, 13, "every 5 s"),)),
        Fragment("par", (Section(20, 23, "cloud-init finishes"),
                         Section(24, 26, "container start.sh"))),
    )
    notes = (
        Note("Phases 1–3 here are the user_data steps (CloudWatch, GPU/Docker, pull & run), "
             "not the DB timing phases (Terraform apply, cloud-init, container).", step=16),
        Note("Sent as soon as docker run returns, before start.sh has started any service.", step=20),
        Note("TerraformApply* = EC2 creation time (time_static), not time to cloud-init finished.",
             step=10),
        Note("Row creation is an upsert race: the VM's first status or the Terraform timing, "
             "whichever arrives first; insert_vm is never called.", step=15),
        Note("ContainerStartTime/EndTime are never stored (key mismatch); only the duration is. "
             "Total only when all 3 durations are set.", step=26),
        Note("AWS credentials at this commit: env vars set through /api/admin/set-aws-credentials.",
             step=7),
    )
    return Diagram(
        name="vm-provisioning",
        title="VM provisioning: launch → Terraform → cloud-init → container",
        description=(
            "The admin's POST /api/launch runs terraform apply as a subprocess inside the allocator "
            "container; Terraform creates the client VMs, whose cloud-init posts statuses to "
            "/api/vm-status, installs the CloudWatch agent, configures Docker and starts the client "
            "container; cloud-init and the container's start.sh each POST their timing once to "
            "/api/vm-metrics/<hostname>.  Step labels use the user_data phases; the timing steps "
            "name the DB timing phases.  POST /destroy tears everything down."
        ),
        priority="essential",
        views=("architecture", "sequence"),
        direction="TB",
        nodes=nodes, groups=groups, steps=steps, fragments=fragments, notes=notes,
        baseline=BASELINE,
    )
