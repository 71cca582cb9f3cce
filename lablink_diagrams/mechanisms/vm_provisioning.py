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
"""

from __future__ import annotations

from ..model import Diagram, Fragment, Group, Node, Note, Section, Step
from ._common import BASELINE, ref, route, tref

_TF = "A/terraform/main.tf"
_UD = "A/terraform/user_data.sh"
_DB = "A/database.py"
_CS = "packages/client/start.sh"
_AWS = "A/utils/aws_utils.py"


def build() -> Diagram:
    nodes = (
        Node("admin", "Admin (browser)\ncreate-instances / dashboard", "person",
             description="HTTP Basic auth (admin_user / admin_password) on /admin/*, /api/launch, /destroy.",
             refs=(route("GET /admin/create"),
                   ref("A/templates/create-instances.html", "form[action=/api/launch]", "html"),
                   ref("A/templates/dashboard.html", "fetch(/api/vm-status)", "html"))),
        # allocator container
        Node("launch", "launch()\nPOST /api/launch", "service",
             description="authenticated (login_required).  total_vms = num_vms + existing rows, so every "
                         "apply targets the whole fleet.",
             refs=(route("POST /api/launch"), ref("A/main.py", "launch", "python"))),
        Node("terraform", "Terraform 1.4.6 CLI\n(subprocess, cwd terraform/)", "process",
             description="Installed in the allocator image; runs the client-VM configuration packaged "
                         "with the allocator (main.tf, outputs.tf, user_data.sh).",
             refs=(ref("packages/allocator/Dockerfile", "terraform/1.4.6", "dockerfile"),
                   ref("A/main.py", "TERRAFORM_DIR", "python"))),
        Node("vm_status", "/api/vm-status\nPOST update · GET get_all", "service",
             description="public: POST update_vm_status (upsert) and GET get_all_vm_status; no auth at "
                         "the baseline.",
             refs=(route("POST /api/vm-status"), route("GET /api/vm-status"),
                   ref("A/main.py", "update_vm_status", "python"),
                   ref("A/main.py", "get_all_vm_status", "python"))),
        Node("metrics", "receive_vm_metrics\nPOST /api/vm-metrics/<hostname>", "service",
             description="public: no auth; 404 unless the hostname has a row.",
             refs=(route("POST /api/vm-metrics/<hostname>"),
                   ref("A/main.py", "receive_vm_metrics", "python"))),
        Node("destroy", "destroy()\nPOST /destroy", "service",
             description="authenticated (login_required); form on /admin/instances/delete.",
             refs=(route("POST /destroy"), ref("A/main.py", "destroy", "python"))),
        Node("vms", "vms table\nstatus · timing columns", "table",
             description="One row per hostname; TerraformApply*, CloudInit*, ContainerStartup*, "
                         "TotalStartupDurationSeconds.",
             refs=(ref("A/generate_init_sql.py", "column TerraformApplyDurationSeconds", "sql"),
                   ref("A/generate_init_sql.py", "column TotalStartupDurationSeconds", "sql"))),
        # AWS
        Node("ec2_api", "EC2 API\n(describe_instance_types)", "cloud", external=True,
             description="AWS's API; only the boto3 call is LabLink's code."),
        Node("tf_resources", "client-VM resources (main.tf)\nSG :22 · IAM role + CW policy\n"
             "key pair · aws_instance × N", "cloud",
             description="time_static.start/end around aws_instance.lablink_vm (count = instance_count, "
                         "80 GB gp3, user_data = templatefile(user_data.sh), Name lablink-vm-{env}-{i}); "
                         "instance profile with CloudWatchAgentServerPolicy.",
             refs=(ref(_TF, "aws_instance.lablink_vm", "terraform"),
                   ref(_TF, "aws_security_group.lablink_sg:ingress", "terraform"),
                   ref(_TF, "aws_iam_role.cloud_watch_agent_role", "terraform"),
                   ref(_TF, "aws_iam_policy_attachment.cloudwatch_agent_policy", "terraform"),
                   ref(_TF, "aws_iam_instance_profile.lablink_instance_profile", "terraform"),
                   ref(_TF, "aws_key_pair.lablink_key_pair", "terraform"),
                   ref(_TF, "time_static.start", "terraform"),
                   ref(_TF, "time_static.end", "terraform"))),
        Node("state", "S3 + DynamoDB lock-table\nclient TF state, tfvars copy", "storage",
             description="S3 backend with backend-client-{env}.hcl (key {env}/client/terraform.tfstate, "
                         "dynamodb_table lock-table) in prod/test/ci-test; local state otherwise. "
                         "Not used for VM data.",
             refs=(ref("A/terraform/backend.tf", "terraform:backend", "terraform"),
                   ref("A/terraform/backend-client-prod.hcl", "dynamodb_table", "terraform"),
                   ref(_AWS, "upload_to_s3", "python"))),
        # client VM
        Node("cloud_init", "cloud-init\nuser_data.sh", "process",
             description="Runs once at first boot as root; VM_NAME = lablink-vm-{env}-{i}.",
             refs=(ref(_TF, "aws_instance.lablink_vm:user_data", "terraform"),
                   ref(_UD, "send_status", "shell"))),
        Node("cw_agent", "CloudWatch agent", "process",
             description="Ships /var/log/cloud-init-output.log (see logging-pipeline).",
             refs=(ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"),)),
        Node("docker", "Docker engine\n(host)", "process",
             refs=(ref(_UD, "docker pull", "shell"), ref(_UD, "docker run -dit", "shell"))),
        Node("start_sh", "start.sh\n(container entrypoint)", "process",
             refs=(ref(_CS, "CONTAINER_START_TIME=$(date +%s)", "shell"),
                   ref("packages/client/Dockerfile", "start.sh", "dockerfile"))),
        Node("services", "subscribe · update_inuse_status\n· check_gpu (background)", "process",
             description="The three long-running client processes (see crd-connection, monitoring).",
             refs=(ref(_CS, "subscribe", "shell"), ref(_CS, "update_inuse_status", "shell"),
                   ref(_CS, "check_gpu", "shell"))),
    )
    groups = (
        Group("allocator_ec2", "Allocator EC2", "host", groups=("allocator_container",),
              refs=(tref("TI/main.tf", "aws_instance.lablink_allocator_server", "terraform"),)),
        Group("allocator_container", "allocator container (Flask + Terraform CLI)", "container",
              nodes=("launch", "terraform", "vm_status", "metrics", "destroy"),
              groups=("postgres",)),
        Group("postgres", "PostgreSQL (in-container)", "cluster", nodes=("vms",)),
        Group("aws", "AWS services", "cloud", nodes=("ec2_api", "tf_resources", "state")),
        Group("client_vm", "Client VM (× N, created by Terraform)", "vm",
              nodes=("cloud_init", "cw_agent", "docker"), groups=("client_container",),
              refs=(ref(_TF, "aws_instance.lablink_vm", "terraform"),)),
        Group("client_container", "client container (--network host)", "container",
              nodes=("start_sh", "services")),
    )
    steps = (
        # -- launch (admin → allocator) ---------------------------------------------------------
        Step(1, "admin", "launch", "POST /api/launch (num_vms)", "request",
             protocol="HTML form post from GET /admin/create, Basic auth", blocking=True,
             refs=(ref("A/templates/create-instances.html", "form[action=/api/launch]", "html"),
                   ref("A/templates/create-instances.html", "input[name=num_vms]", "html"),
                   route("POST /api/launch"))),
        Step(2, "launch", "vms", "get_row_count(): total = num_vms + rows", "read",
             refs=(ref("A/main.py", "launch:total_vms", "python"),
                   ref(_DB, "PostgresqlDatabase.get_row_count", "python"))),
        Step(3, "launch", "ec2_api", "check_support_nvidia: describe_instance_types", "request",
             protocol="boto3", blocking=True,
             description="gpu_support = any GPU whose manufacturer contains NVIDIA.",
             refs=(ref("A/main.py", "launch:check_support_nvidia", "python"),
                   ref(_AWS, "check_support_nvidia:ec2.describe_instance_types", "python"))),
        Step(4, "launch", "launch", "write terraform.runtime.tfvars", "write",
             payload="allocator_ip, allocator_url, machine_type, image_name, repository, client_ami_id, "
                     "subject_software, resource_suffix, gpu_support, cloud_init_output_log_group, "
                     "region, startup_on_error",
             description="allocator_url from get_allocator_url: https only when ssl.provider != none "
                         "and not staging.",
             refs=(ref("A/main.py", "launch:get_allocator_url", "python"),
                   ref("A/utils/config_helpers.py", "get_allocator_url", "python"),
                   ref("A/main.py", "launch:runtime_file", "python"),
                   ref("A/main.py", "launch:runtime_file.open", "python"))),
        Step(5, "launch", "terraform", "terraform apply -auto-approve -var=instance_count=N",
             "subprocess", blocking=True,
             payload="-var-file=terraform.runtime.tfvars; N = total_vms",
             protocol="subprocess.run(check=True, capture_output=True), cwd terraform/; blocks the request",
             refs=(ref("A/main.py", "launch:apply_cmd", "python"),
                   ref("A/main.py", "launch:subprocess.run", "python"))),
        Step(6, "terraform", "state", "state lock + read/write (S3 backend)", "request",
             protocol="AWS API",
             refs=(ref("A/terraform/backend.tf", "terraform:backend", "terraform"),
                   ref("A/terraform/backend-client-prod.hcl", "dynamodb_table", "terraform"))),
        Step(7, "terraform", "tf_resources", "create SG, IAM, key pair, N × EC2 (user_data)", "request",
             protocol="AWS API", blocking=True,
             description="time_static.end depends_on the instances: it marks EC2 creation, "
                         "not cloud-init completion.",
             refs=(ref(_TF, "aws_instance.lablink_vm", "terraform"),
                   ref(_TF, "aws_instance.lablink_vm:user_data", "terraform"),
                   ref(_TF, "time_static.end", "terraform"))),
        Step(8, "terraform", "launch", "exit 0 + apply stdout", "response", reply_to=5,
             refs=(ref("A/main.py", "launch:clean_output", "python"),)),
        Step(9, "launch", "state", "upload_to_s3(tfvars)", "write",
             payload="s3://{bucket}/{env}/client/terraform.runtime.tfvars",
             refs=(ref("A/main.py", "launch:upload_to_s3", "python"),
                   ref(_AWS, "upload_to_s3:s3.upload_file", "python"))),
        Step(10, "launch", "terraform", "terraform output -json instance_terraform_apply_times",
             "subprocess", blocking=True,
             payload="{hostname: {seconds, start_time, end_time}}",
             refs=(ref("A/main.py", "launch:get_instance_timings", "python"),
                   ref("A/utils/terraform_utils.py", "get_instance_timings:subprocess.run", "python"),
                   ref("A/terraform/outputs.tf", "output.instance_terraform_apply_times", "terraform"))),
        Step(11, "launch", "vms", "update_terraform_timing: upsert TerraformApply*", "sql",
             payload="INSERT … ON CONFLICT (hostname) DO UPDATE",
             description="DB timing phase 1 (Terraform apply).",
             refs=(ref("A/main.py", "launch:update_terraform_timing", "python"),
                   ref(_DB, "PostgresqlDatabase.update_terraform_timing", "python"))),
        Step(12, "launch", "admin", "dashboard.html (apply output)", "response", reply_to=1,
             refs=(ref("A/main.py", "launch:output", "python"),)),
        Step(13, "admin", "vm_status", "GET /api/vm-status", "request",
             protocol="dashboard.html fetch, auto-refresh every 5 s",
             refs=(ref("A/templates/dashboard.html", "fetch(/api/vm-status)", "html"),
                   route("GET /api/vm-status"))),
        Step(14, "vm_status", "vms", "SELECT hostname, status", "read",
             refs=(ref(_DB, "PostgresqlDatabase.get_all_vm_status", "python"),)),
        # -- each new client VM: cloud-init (user_data phases) -----------------------------------
        Step(15, "cloud_init", "vm_status", "POST {hostname, status: initializing}", "request",
             protocol="curl, --max-time 5, failure ignored, no auth",
             description="First action of user_data.sh (after CLOUD_INIT_START_TIME).",
             refs=(ref(_UD, 'send_status "initializing"', "shell"),
                   ref(_UD, "CLOUD_INIT_START_TIME=$(date +%s)", "shell"))),
        Step(16, "vm_status", "vms", "update_vm_status: upsert (creates the row)", "sql",
             payload="INSERT … ON CONFLICT (hostname) DO UPDATE SET status",
             refs=(ref("A/main.py", "update_vm_status:update_vm_status", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_status", "python"),
                   ref(_DB, "statement ON CONFLICT", "sql"))),
        Step(17, "cloud_init", "cw_agent", "phase 1: install, configure, start agent", "subprocess",
             protocol="wget .deb, dpkg -i, amazon-cloudwatch-agent-ctl -a fetch-config -m ec2",
             refs=(ref(_UD, "wget https://s3.amazonaws.com/amazoncloudwatch-agent", "shell"),
                   ref(_UD, "amazon-cloudwatch-agent-ctl", "shell"))),
        Step(18, "cloud_init", "docker", "phase 2: GPU? nvidia runtime + restart docker", "subprocess",
             description="Only when nvidia-smi exists and gpu_support = true; else CPU.",
             refs=(ref(_UD, "command -v nvidia-smi", "shell"),
                   ref(_UD, "systemctl restart docker", "shell"))),
        Step(19, "cloud_init", "docker", "phase 3: docker pull <image>", "subprocess",
             refs=(ref(_UD, "docker pull", "shell"),)),
        Step(20, "cloud_init", "docker", "phase 3: docker run -dit --network host", "subprocess",
             payload="env ALLOCATOR_URL, VM_NAME, TUTORIAL_REPO_TO_CLONE, SUBJECT_SOFTWARE, "
                     "CLOUD_INIT_LOG_GROUP, AWS_REGION, STARTUP_ON_ERROR; /etc/config → /docker_scripts",
             refs=(ref(_UD, "docker run -dit", "shell"), ref(_UD, "--network host", "shell"))),
        Step(21, "docker", "start_sh", "start container (entrypoint start.sh)", "async",
             refs=(ref("packages/client/Dockerfile", "start.sh", "dockerfile"),)),
        # cloud-init goes on while the container starts
        Step(22, "cloud_init", "vm_status", "POST {status: running} (error on failure)", "request",
             protocol="curl, --max-time 5, failure ignored, no auth",
             description="'error' (then exit 1) when the agent install, the pull or the run fails.",
             refs=(ref(_UD, 'send_status "running"', "shell"), ref(_UD, 'send_status "error"', "shell"))),
        Step(23, "vm_status", "vms", "upsert status = running", "sql",
             refs=(ref(_DB, "PostgresqlDatabase.update_vm_status", "python"),)),
        Step(24, "cloud_init", "metrics", "POST cloud_init_start / _end / _duration", "request",
             protocol="curl, --max-time 5, failure ignored, no auth",
             refs=(ref(_UD, 'curl -s -X POST "$ALLOCATOR_URL/api/vm-metrics/$VM_NAME"', "shell"),)),
        Step(25, "metrics", "vms", "update_vm_metrics (DB phase 2) + total", "sql",
             refs=(ref("A/main.py", "receive_vm_metrics:update_vm_metrics", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_metrics", "python"),
                   ref("A/main.py", "receive_vm_metrics:calculate_total_startup_time", "python"))),
        # container
        Step(26, "start_sh", "start_sh", "git clone tutorial repo; custom-startup.sh (opt.)", "subprocess",
             refs=(ref(_CS, "git clone", "shell"), ref(_CS, "bash /docker_scripts/custom-startup.sh", "shell"))),
        Step(27, "start_sh", "services", "start 3 services in the background (&)", "subprocess",
             refs=(ref(_CS, "subscribe", "shell"), ref(_CS, "update_inuse_status", "shell"),
                   ref(_CS, "check_gpu", "shell"))),
        Step(28, "start_sh", "metrics", "POST container_start_time / _end_time / _duration", "request",
             protocol="curl, --max-time 5, failure ignored, no auth",
             refs=(ref(_CS, 'curl -X POST "$ALLOCATOR_URL/api/vm-metrics/$VM_NAME"', "shell"),
                   ref(_CS, "container_start_time", "shell"))),
        Step(29, "metrics", "vms", "DB phase 3: duration only; total when all 3 set", "sql",
             description="update_vm_metrics looks for container_start / container_end, so "
                         "ContainerStartTime/EndTime stay NULL; Total = Terraform + cloud-init + "
                         "container durations, only when all three are non-null.",
             refs=(ref(_DB, "PostgresqlDatabase.update_vm_metrics", "python"),
                   ref("A/generate_init_sql.py", "column ContainerStartTime", "sql"),
                   ref(_DB, "PostgresqlDatabase.calculate_total_startup_time", "python"))),
        # -- teardown ---------------------------------------------------------------------------
        Step(30, "admin", "destroy", "POST /destroy", "request", blocking=True,
             protocol="HTML form post, Basic auth",
             refs=(ref("A/templates/delete-instances.html", "form[action=/destroy]", "html"),
                   route("POST /destroy"))),
        Step(31, "destroy", "terraform", "terraform destroy -auto-approve", "subprocess", blocking=True,
             payload="-var-file=terraform.runtime.tfvars",
             refs=(ref("A/main.py", "destroy:apply_cmd", "python"),
                   ref("A/main.py", "destroy:subprocess.run", "python"))),
        Step(32, "terraform", "tf_resources", "destroy all client-VM resources", "request",
             protocol="AWS API",
             refs=(ref(_TF, "aws_instance.lablink_vm", "terraform"),)),
        Step(33, "destroy", "vms", "clear_database: DELETE all rows", "sql",
             refs=(ref("A/main.py", "destroy:clear_database", "python"),
                   ref(_DB, "PostgresqlDatabase.clear_database", "python"))),
    )
    fragments = (
        Fragment("par", (Section(9, 14, "allocator finishes launch()"),
                         Section(15, 29, "each new client VM boots"))),
        Fragment("loop", (Section(13, 14, "every 5 s"),)),
        Fragment("par", (Section(22, 25, "cloud-init finishes"),
                         Section(26, 29, "container start.sh"))),
    )
    notes = (
        Note("Phases 1–3 here are the user_data steps (CloudWatch, GPU/Docker, pull & run), "
             "not the DB timing phases (Terraform apply, cloud-init, container).", step=17),
        Note("Sent as soon as docker run returns, before start.sh has started any service.", step=22),
        Note("TerraformApply* = EC2 creation time (time_static), not time to cloud-init finished.",
             step=11),
        Note("Row creation is an upsert race: the VM's first status or the Terraform timing, "
             "whichever arrives first; insert_vm is never called.", step=16),
        Note("ContainerStartTime/EndTime are never stored (key mismatch); only the duration is.",
             step=29),
        Note("AWS credentials at this commit: env vars set through /api/admin/set-aws-credentials.",
             step=7),
        Note("Terraform runs inside the allocator container, not as a separate service.",
             node="terraform"),
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
        direction="LR",
        nodes=nodes, groups=groups, steps=steps, fragments=fragments, notes=notes,
        baseline=BASELINE,
    )
