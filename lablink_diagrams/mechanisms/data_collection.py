"""Data collection and export over SSH (fact sheet §3 Diagram 9, §1.11).

The spec had the admin POSTing and the allocator fanning out to the VMs in
parallel.  At the baseline the button's JavaScript sends a plain ``fetch``
(GET) to ``/api/scp-client``, and ``download_all_data`` visits the VMs one
after another (``for i, ip in enumerate(instance_ips)``): for each it finds the
files inside the container with ``docker exec find``, copies them to the host
with ``docker cp``, checks the host folder with ``ls`` and pulls it with
``rsync -avz`` into a temporary directory.  The zip is then sent as the
response and deleted after the request.
"""

from __future__ import annotations

from ..model import Diagram, Fragment, Group, Node, Note, Section, Step
from ._common import BASELINE, ref, route

_SCP = "A/utils/scp.py"
_TFU = "A/utils/terraform_utils.py"
_PAGE = "A/templates/delete-instances.html"


def build() -> Diagram:
    nodes = (
        Node("admin", "Admin (browser)", "person",
             refs=(ref("A/templates/admin.html", "button:Extract or Delete VM Data", "html"),)),
        Node("delete_page", "delete-instances.html\n\"Extract and Download\" button", "page",
             refs=(route("GET /admin/instances/delete"),
                   ref(_PAGE, "button:Extract and Download", "html"))),
        Node("download", "download_all_data\nGET /api/scp-client", "service",
             description="authenticated: HTTP Basic (admin).",
             refs=(route("GET /api/scp-client"), ref("A/main.py", "download_all_data", "python"))),
        Node("terraform", "Terraform CLI\n(terraform output)", "process",
             description="Reads the outputs of the client-VM state in the package's terraform/ folder.",
             refs=(ref(_TFU, "get_instance_ips", "python"), ref(_TFU, "get_ssh_private_key", "python"))),
        Node("tempdir", "TemporaryDirectory\nvm_1/ … vm_N/", "storage",
             refs=(ref("A/main.py", "download_all_data:tempfile.TemporaryDirectory", "python"),
                   ref("A/main.py", "download_all_data:vm_dir", "python"))),
        Node("zip_file", "lablink_data<timestamp>.zip\n(system temp dir)", "file",
             refs=(ref("A/main.py", "download_all_data:zip_file", "python"),
                   ref("A/main.py", "download_all_data:ZipFile", "python"))),
        Node("vm_host", "Client VM host (ubuntu@ip)\n/home/ubuntu/extracted_files", "vm",
             description="Reached over SSH 22 with the Terraform-generated key; the staging folder "
                         "is on the host, outside the container.",
             refs=(ref(_SCP, "extract_files_from_docker:dest_path", "python"),
                   ref("A/terraform/main.tf", "aws_security_group.lablink_sg", "terraform"))),
        Node("container", "client container\n/home/client/Desktop", "container",
             description="The first container of docker ps -q; the user's work lives on its Desktop "
                         "(tutorial repo cloned there by start.sh).",
             refs=(ref(_SCP, "find_files_in_container:cmd", "python"),
                   ref("packages/client/start.sh", "mkdir -p /home/client/Desktop", "shell"))),
    )
    # Top to bottom: the browser calls the allocator, which reaches out to the VMs; the
    # allocator's files (temp dir, zip) stay in one column under download_all_data.
    groups = (
        Group("admin_browser", "Admin browser", "boundary", nodes=("admin", "delete_page")),
        Group("allocator_ec2", "Allocator EC2", "host", groups=("allocator_container",)),
        Group("allocator_container", "allocator container (Flask)", "container",
              nodes=("download", "terraform", "tempdir", "zip_file")),
        Group("client_vm", "Client VM\n(each, in turn)", "vm", nodes=("container", "vm_host"),
              refs=(ref("A/terraform/main.tf", "aws_instance.lablink_vm", "terraform"),)),
    )
    ssh = "SSH 22, ubuntu@ip, -i /tmp/lablink_key.pem, StrictHostKeyChecking=no"
    steps = (
        Step(1, "admin", "delete_page", "click \"Extract and Download {ext} Files\"", "user",
             refs=(ref(_PAGE, "button:Extract and Download", "html"),)),
        Step(2, "delete_page", "download", "fetch(\"/api/scp-client\") (GET)", "request",
             protocol="HTTP(S) GET via Caddy, Basic auth of the admin session", blocking=True,
             refs=(ref(_PAGE, "fetch(/api/scp-client)", "html"), route("GET /api/scp-client"))),
        Step(3, "download", "terraform", "terraform output: vm_public_ips, private key", "subprocess",
             blocking=True,
             description="Two calls: terraform output -json vm_public_ips, then "
                         "terraform output -raw lablink_private_key_pem.",
             refs=(ref("A/main.py", "download_all_data:get_instance_ips", "python"),
                   ref(_TFU, "get_instance_ips:subprocess.run", "python"),
                   ref("A/terraform/outputs.tf", "output.vm_public_ips", "terraform"),
                   ref("A/main.py", "download_all_data:get_ssh_private_key", "python"),
                   ref(_TFU, "get_ssh_private_key:subprocess.run", "python"),
                   ref("A/terraform/outputs.tf", "output.lablink_private_key_pem", "terraform"))),
        Step(4, "terraform", "download", "IPs; PEM → /tmp/lablink_key.pem (chmod 400)", "response", reply_to=3,
             refs=(ref(_TFU, "get_ssh_private_key:key_path", "python"),
                   ref(_TFU, "get_ssh_private_key:os.chmod", "python"))),
        # per VM, sequential
        # The answer (file paths; none → next VM) is the opt below, not a reply step: a reply
        # edge on the same pair overprinted this label in PlantUML.
        Step(5, "download", "container", "ssh + docker exec: find *.{ext}", "request",
             protocol=ssh + "; then sudo docker exec on the first container of docker ps -q", blocking=True,
             payload="find /home/client/Desktop -name '*.{ext}' -not -path '*/models/*' "
                     "-not -path '*/predictions/*' → file paths (none → next VM)",
             refs=(ref("A/main.py", "download_all_data:find_files_in_container", "python"),
                   ref(_SCP, "find_files_in_container:ssh_cmd", "python"),
                   ref(_SCP, "find_files_in_container:cmd", "python"),
                   ref(_SCP, "find_files_in_container:subprocess.run", "python"))),
        Step(6, "download", "vm_host", "ssh: mkdir -p + docker cp", "request",
             protocol=ssh, blocking=True,
             refs=(ref("A/main.py", "download_all_data:extract_files_from_docker", "python"),
                   ref(_SCP, "extract_files_from_docker:subprocess.run", "python"))),
        Step(7, "container", "vm_host", "docker cp file → extracted_files/<relpath>", "write",
             payload="relpath = path under /home/client/Desktop (subfolders kept)",
             refs=(ref(_SCP, "extract_files_from_docker:rel_path", "python"),
                   ref(_SCP, "extract_files_from_docker:cmd", "python"))),
        # has_files's answer (exists | missing) is the opt below, not a step of its own:
        # a reply edge on the same pair overprinted the request labels in PlantUML.
        Step(8, "download", "vm_host", "has_files: ssh ls\n(top level only)", "request",
             protocol=ssh, blocking=True,
             payload="ls /home/ubuntu/extracted_files/*.{ext} → exists | missing",
             refs=(ref("A/main.py", "download_all_data:rsync_files_to_allocator", "python"),
                   ref(_SCP, "rsync_files_to_allocator:has_files", "python"),
                   ref(_SCP, "has_files:ssh_cmd", "python"),
                   ref(_SCP, "has_files", "python"))),
        Step(9, "download", "vm_host", "rsync -avz over ssh (pull)", "request",
             protocol="rsync over " + ssh, blocking=True,
             payload="--include '**/' --include '**.{ext}' --exclude '*'",
             refs=(ref(_SCP, "rsync_files_to_allocator:cmd", "python"),
                   ref(_SCP, "rsync_files_to_allocator:subprocess.run", "python"))),
        Step(10, "download", "tempdir", "rsync writes *.{ext} → vm_{i}/ (tree kept)", "write",
             description="The rsync client runs in the allocator container (local_dir = vm_dir) and "
                         "copies the VM host's extracted_files/ tree into it.",
             refs=(ref("A/main.py", "download_all_data:local_dir", "python"),)),
        # after the loop
        Step(11, "download", "zip_file", "zip every vm_*/**/*.{ext}", "write",
             payload="arcname relative to the temp dir",
             refs=(ref("A/main.py", "download_all_data:ZipFile", "python"),
                   ref("A/main.py", "download_all_data:rglob", "python"))),
        Step(12, "download", "delete_page", "send_file(zip, as_attachment=True)", "response", reply_to=2,
             refs=(ref("A/main.py", "download_all_data:send_file", "python"),)),
        Step(13, "download", "zip_file", "after_this_request: os.remove(zip)", "write",
             description="The temporary directory is removed when its with-block ends.",
             refs=(ref("A/main.py", "download_all_data:os.remove", "python"),)),
    )
    fragments = (
        Fragment("loop", (Section(5, 10, "for each VM IP, one after another"),)),
        Fragment("opt", (Section(6, 10, "files found (else next VM)"),)),
        Fragment("loop", (Section(6, 7, "for each file (one ssh each)"),)),
        Fragment("opt", (Section(9, 10, "has_files: exists"),)),
    )
    notes = (
        Note("404 if the VM table is empty or no VM had files; 500 if terraform output or rsync fails "
             "(find and docker cp errors are only logged). "
             "{ext} = cfg.machine.extension (default slp).", node="download"),
        Note("From the code (not observed at runtime): has_files lists only the top level of extracted_files, but docker cp "
             "keeps subfolders (e.g. the cloned sleap-tutorial-data/…), so a VM whose files are all "
             "nested is skipped by rsync.", step=8),
        Note("Sequential: the next VM starts only after this one's rsync returns.", step=5),
    )
    return Diagram(
        name="data-collection",
        title="Data collection: SSH, docker cp and rsync export",
        description=(
            "How the admin downloads the users' files: a GET to /api/scp-client makes the allocator read "
            "the VM IPs and SSH key from Terraform outputs, visit each VM in turn over SSH "
            "(docker exec find, docker cp to the host, ls check, rsync pull), zip the result and send it "
            "as a download."
        ),
        priority="supplementary",
        views=("architecture", "sequence"),
        direction="TB",
        nodes=nodes, groups=groups, steps=steps, fragments=fragments, notes=notes,
        baseline=BASELINE,
    )
