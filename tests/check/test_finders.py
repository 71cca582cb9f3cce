"""Every ref kind and every status against small trees written here (no LabLink code needed)."""

from __future__ import annotations

import pytest

from lablink_diagrams.check import Sources, check_refs, open_repo, resolve_line
from lablink_diagrams.check.finders import infer_kind

from checkutil import A, L, T, write_tree

MAIN = '''
import subprocess
from flask import Flask

app = Flask(__name__)
PIN = "123456"


class Db:
    def assign_vm(self, email):
        cur = self.conn.cursor()
        cur.execute(
            "UPDATE vms SET useremail = %s "
            "WHERE hostname = %s",
            (email, "h"),
        )

    def listen(self, channel):
        self.cursor.execute(f"LISTEN {channel};")


@app.route("/")
def home():
    return "hi"


@app.route("/api/request_vm", methods=["POST"])
def submit_vm_details():
    result = subprocess.run(
        ["terraform", "apply"],
        timeout=30,
    )
    total = 1 + 2
    return result


@app.get("/api/vm-status/<hostname>")
def status(hostname):
    return hostname


def helper():
    pass
'''

SQL = '''
def main():
    VM_TABLE = "vms"
    template = f"""
CREATE TABLE IF NOT EXISTS {VM_TABLE} (
    HostName VARCHAR(1024) PRIMARY KEY,
    CrdCommand VARCHAR(1024)
);

CREATE OR REPLACE FUNCTION notify_crd_command_update()
RETURNS TRIGGER AS $$
BEGIN
    PERFORM pg_notify('ch', NEW.HostName);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_crd_command_insert_or_update
AFTER INSERT OR UPDATE OF CrdCommand ON {VM_TABLE}
FOR EACH ROW EXECUTE FUNCTION notify_crd_command_update();
"""
    print("Listening is not SQL")
    return template
'''

TF = '''
locals {
  # a comment with a { brace
  instance_type = "t3.large"
}

resource "aws_instance" "vm" {
  ami   = "ami-1"
  user_data = templatefile("${path.module}/user_data.sh", {
    url = "http://${var.host}/x"
  })
  tags = {
    Name = "vm-${count.index}"
  }
  script = <<-EOT
    resource "fake" "inside_heredoc" {
  EOT
  root_block_device {
    volume_size = 80
  }
}

data "aws_eip" "existing" {
  count = 1
}

variable "instance_count" {
  type = number
}

output "vm_public_ips" {
  value = aws_instance.vm[*].public_ip
}

terraform {
  backend "s3" {}
}
'''

WORKFLOW = '''
name: CI
on:
  pull_request:
    paths: ["packages/**"]
  push:
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Run ruff
        run: ruff check
  test:
    needs: lint
    runs-on: ubuntu-latest
    steps:
      - name: Configure AWS credentials (OIDC)
        uses: aws-actions/configure-aws-credentials@v4
'''

HTML = '''
<html><body>
<form action="/api/request_vm" method="post">
  <input
    type="email"
    name="email"
  />
  <button type="submit" class="btn">
    Submit   request
  </button>
</form>
<a href="https://remotedesktop.google.com/access/">Go</a>
<script>
  function poll() {
    fetch('/api/unassigned_vms_count').then(r => r.json());
    fetch(`/api/vm-logs/${hostname}`);
  }
</script>
</body></html>
'''

SHELL = '''
#!/bin/bash
# docker run in a comment does not count
send_status() {
  curl -X POST "$URL/api/vm-status"
}
echo "Running subscribe script..."
send_status "initializing"
subscribe \\
  allocator.host=$HOST &
sudo docker run -dit --network host image
'''

DOCKERFILE = '''
FROM python:3.11
# apt-get install postgresql (comment)
RUN apt-get update && \\
    apt-get install -y postgresql-15
COPY start.sh /start.sh
'''

CONFIG = '''
db:
  dbname: lablink_db
  message_channel: vm_updates
app:
  admin_user: admin
'''

FILES = {
    A + "main.py": MAIN,
    A + "generate_init_sql.py": SQL,
    A + "terraform/main.tf": TF,
    A + "terraform/backend-client-prod.hcl": 'bucket = "b"\ndynamodb_table = "lock-table"\n',
    ".github/workflows/ci.yml": WORKFLOW,
    A + "templates/index.html": HTML,
    A + "terraform/user_data.sh": SHELL,
    "packages/allocator/Dockerfile": DOCKERFILE,
    A + "conf/config.yaml": CONFIG,
    A + "utils/moved_here.py": "def moved_function():\n    return 1\n\n\nclass Other:\n    def helper2(self):\n        pass\n",
    A + "routes/extra.py": 'from flask import Blueprint\nbp = Blueprint("x", __name__)\n\n\n@bp.route("/api/moved", methods=["POST"])\ndef moved_route():\n    pass\n',
    A + "tests/test_main.py": "def moved_only_in_tests():\n    pass\n",
}


@pytest.fixture()
def sources(tmp_path):
    write_tree(tmp_path / "lablink", FILES)
    write_tree(tmp_path / "template", {"lablink-infrastructure/main.tf": TF})
    return Sources(lablink=open_repo("lablink", str(tmp_path / "lablink")),
                   template=open_repo("lablink-template", str(tmp_path / "template")))


FOUND = [
    # python: function, method, constant, outer:inner call / assignment / keyword
    (L("A/main.py", "helper"), 41),
    (L("A/main.py", "Db.assign_vm"), 9),
    (L("A/main.py", "PIN"), 5),
    (L("A/main.py", "app"), 4),
    (L("A/main.py", "submit_vm_details:subprocess.run"), 28),
    (L("A/main.py", "submit_vm_details:run"), 28),
    (L("A/main.py", "submit_vm_details:total"), 32),
    (L("A/main.py", "submit_vm_details:timeout"), 30),
    (L("A/main.py", "Db.assign_vm:execute"), 11),
    # routes: default GET, methods list, shortcut decorator; line of the decorator
    (L("A/main.py", "GET /"), 21),
    (L("A/main.py", "POST /api/request_vm"), 26),
    (L("A/main.py", "GET /api/vm-status/<hostname>"), 36),
    # SQL in strings and f-strings, with the line inside the literal
    (L("A/generate_init_sql.py", "table VM_TABLE"), 4),
    (L("A/generate_init_sql.py", "column CrdCommand"), 6),
    (L("A/generate_init_sql.py", "function notify_crd_command_update"), 9),
    (L("A/generate_init_sql.py", "trigger trigger_crd_command_insert_or_update"), 17),
    (L("A/generate_init_sql.py", "statement PERFORM"), 12),
    (L("A/generate_init_sql.py", "statement CREATE TRIGGER"), 17),
    (L("A/main.py", "statement LISTEN"), 18),
    (L("A/main.py", "statement UPDATE"), 12),
    (L("A/main.py", "column useremail"), 12),
    # terraform
    (L("A/terraform/main.tf", "aws_instance.vm"), 6),
    (L("A/terraform/main.tf", "aws_instance.vm:user_data"), 8),
    (L("A/terraform/main.tf", "aws_instance.vm:Name"), 12),
    (L("A/terraform/main.tf", "aws_instance.vm:volume_size"), 18),
    (L("A/terraform/main.tf", "aws_instance.vm:root_block_device"), 17),
    (L("A/terraform/main.tf", "data.aws_eip.existing"), 22),
    (L("A/terraform/main.tf", "var.instance_count"), 26),
    (L("A/terraform/main.tf", "output.vm_public_ips"), 30),
    (L("A/terraform/main.tf", "local.instance_type"), 3),
    (L("A/terraform/main.tf", "terraform:backend.s3"), 35),
    (L("A/terraform/backend-client-prod.hcl", "dynamodb_table"), 2),
    (T("lablink-infrastructure/main.tf", "aws_instance.vm"), 6),
    # workflow
    (L(".github/workflows/ci.yml", "on.pull_request"), 3),
    (L(".github/workflows/ci.yml", "on.push"), 5),
    (L(".github/workflows/ci.yml", "jobs.lint"), 7),
    (L(".github/workflows/ci.yml", "jobs.test.needs"), 14),
    (L(".github/workflows/ci.yml", "jobs.lint:Run ruff"), 11),
    (L(".github/workflows/ci.yml", "jobs.test:OIDC"), 17),
    # html
    (L("A/templates/index.html", "form[action=/api/request_vm]"), 2),
    (L("A/templates/index.html", "input[name=email]"), 5),
    (L("A/templates/index.html", "form[action=/api/request_vm][method=post]"), 2),
    (L("A/templates/index.html", "button:Submit request"), 7),
    (L("A/templates/index.html", "a[href=https://remotedesktop.google.com/access/]"), 11),
    (L("A/templates/index.html", "fetch(/api/unassigned_vms_count)"), 14),
    (L("A/templates/index.html", "fetch(/api/vm-logs/)"), 15),
    # shell: function, command position beats an echo, text in a string
    (L("A/terraform/user_data.sh", "send_status"), 3),
    (L("A/terraform/user_data.sh", 'send_status "initializing"'), 7),
    (L("A/terraform/user_data.sh", "subscribe"), 8),
    (L("A/terraform/user_data.sh", "docker run"), 10),
    (L("A/terraform/user_data.sh", "/api/vm-status"), 4),
    # dockerfile, config, file
    (L("packages/allocator/Dockerfile", "postgresql"), 4),
    (L("A/conf/config.yaml", "db.message_channel"), 3),
    (L("A/conf/config.yaml", "app"), 4),
    (L("A/conf/config.yaml", "*"), 1),
]


@pytest.mark.parametrize(("ref", "line"), FOUND, ids=[str(r) for r, _ in FOUND])
def test_found_at_line(sources, ref, line):
    [f] = check_refs([ref], sources)
    assert (f.status, f.location) == ("found", f"{ref.path}:{line}"), f.detail
    assert resolve_line(ref, sources) == (ref.path, line)


MISSING = [
    L("A/main.py", "no_such_function"),
    L("A/main.py", "Db.no_such_method"),
    L("A/main.py", "submit_vm_details:requests.post"),
    L("A/main.py", "DELETE /api/request_vm"),
    L("A/main.py", "GET /api/request_vm"),
    L("A/generate_init_sql.py", "trigger notify_crd_command_update"),  # a function, not a trigger
    L("A/generate_init_sql.py", "statement VACUUM"),
    L("A/generate_init_sql.py", "table other_table"),
    L("A/terraform/main.tf", "resource.fake.inside_heredoc"),
    L("A/terraform/main.tf", "aws_instance.vm:not_an_attr"),
    L("A/terraform/main.tf", "data.aws_eip.missing"),
    L(".github/workflows/ci.yml", "jobs.deploy"),
    L(".github/workflows/ci.yml", "jobs.lint:Upload artifact"),
    L("A/templates/index.html", "input[name=crd_command]"),
    L("A/templates/index.html", "fetch(/api/scp-client)"),
    L("packages/allocator/Dockerfile", "apt-get install postgresql"),  # only in a comment
    L("A/conf/config.yaml", "db.table_name"),
]


@pytest.mark.parametrize("ref", MISSING, ids=[str(r) for r in MISSING])
def test_missing_symbol(sources, ref):
    [f] = check_refs([ref], sources)
    assert f.status == "missing-symbol", (f.location, f.detail)
    assert resolve_line(ref, sources) is None


def test_sql_keyword_in_a_message_is_not_a_statement():
    from lablink_diagrams.check.finders import python_ast

    idx = python_ast.parse('print("Listening for LISTEN")\nq = "LISTEN ch;"\n')
    assert python_ast.lookup(idx, "sql", "statement LISTEN") == 2
    assert python_ast.lookup(python_ast.parse('print("Listening")\n'), "sql", "statement LISTEN") is None


def test_moved_statement_is_found_in_another_file(sources):
    [f] = check_refs([L("A/generate_init_sql.py", "statement LISTEN")], sources)
    assert (f.status, f.location) == ("moved", A + "main.py:18")


def test_missing_file(sources):
    [f] = check_refs([L("A/nowhere.py", "nothing_like_this")], sources)
    assert f.status == "missing-file" and f.location is None


@pytest.mark.parametrize(("ref", "where"), [
    (L("A/main.py", "moved_function"), A + "utils/moved_here.py:1"),
    (L("A/main.py", "POST /api/moved"), A + "routes/extra.py:5"),
    (L("A/gone.py", "moved_function"), A + "utils/moved_here.py:1"),   # file gone, symbol elsewhere
    (L("A/main.py", "Gone.helper2"), A + "utils/moved_here.py:6"),      # method now in another class
    (L("A/old/config.yaml", "db.dbname"), A + "conf/config.yaml:2"),
])
def test_moved(sources, ref, where):
    [f] = check_refs([ref], sources)
    assert (f.status, f.location) == ("moved", where), f.detail


def test_symbols_only_in_tests_are_not_moves(sources):
    [f] = check_refs([L("A/main.py", "moved_only_in_tests")], sources)
    assert f.status == "missing-symbol"


def test_not_checkable_without_source(tmp_path):
    write_tree(tmp_path, {"x.py": "def f():\n    pass\n"})
    s = Sources(lablink=open_repo("lablink", str(tmp_path)))
    [f] = check_refs([T("lablink-infrastructure/main.tf", "aws_instance.vm")], s)
    assert f.status == "not-checkable" and "lablink-template" in f.detail


def test_grammar_violation_is_reported_not_raised(sources):
    [f] = check_refs([L("A/main.py", "no spaces allowed here", "python")], sources)
    assert f.status == "missing-symbol" and "grammar" in f.detail


def test_unparseable_python_is_a_finding(tmp_path):
    write_tree(tmp_path, {A + "main.py": "def broken(:\n"})
    s = Sources(lablink=open_repo("lablink", str(tmp_path)))
    [f] = check_refs([L("A/main.py", "broken")], s)
    assert f.status == "missing-symbol" and "cannot parse" in f.detail


@pytest.mark.parametrize(("path", "symbol", "kind"), [
    (A + "main.py", "GET /", "route"),
    (A + "main.py", "launch:subprocess.run", "python"),
    (A + "database.py", "statement LISTEN", "sql"),
    ("lablink-infrastructure/main.tf", "aws_eip.new", "terraform"),
    (".github/workflows/ci.yml", "jobs.lint", "workflow"),
    (A + "conf/config.yaml", "db.user", "config"),
    ("packages/client/start.sh", "subscribe", "shell"),
    (A + "templates/index.html", "input[name=email]", "html"),
    ("packages/allocator/Dockerfile.dev", "uv sync", "dockerfile"),
    ("README.md", "*", "file"),
    ("README.md", "Install", None),
])
def test_infer_kind(path, symbol, kind):
    assert infer_kind(path, symbol) == kind
