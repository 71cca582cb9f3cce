"""Database schema: the one VM table, its CrdCommand trigger, the notify function and channel (fact sheet §4).

``generate_init_sql.py`` writes ``/app/init.sql``, which the allocator container's
``start.sh`` runs with ``psql`` against the PostgreSQL that lives *inside* that
container (not RDS).  At the baseline there is a single table, named by
``db.table_name`` (``vms`` in config.yaml), with 19 columns in the order below;
the order matters because ``get_vm_by_hostname`` maps ``row[0..18]`` by position.
Rows are created by upserts (status and Terraform timing), never by
``insert_vm``.  The only consumer of the channel is the allocator's
``listen_for_notifications``; client VMs never connect to the database.
"""

from __future__ import annotations

from ..model import Diagram, Field, Node, Note, Step
from ._common import BASELINE, ref

_SQL = "A/generate_init_sql.py"
_DB = "A/database.py"

_NEVER = "never populated: update_vm_metrics expects container_start/_end"

COLUMNS = (
    Field("HostName", "VARCHAR(1024)", "PRIMARY KEY", "VM Name tag lablink-vm-ENV-N"),
    Field("Pin", "VARCHAR(1024)", "", "always 123456 (main.py PIN)"),
    Field("CrdCommand", "VARCHAR(1024)", "", "watched by the trigger"),
    Field("UserEmail", "VARCHAR(1024)", "", "NULL = VM free"),
    Field("InUse", "BOOLEAN", "NOT NULL DEFAULT FALSE", "POST /api/update_inuse_status"),
    Field("Healthy", "VARCHAR(1024)", "", "Healthy / Unhealthy / N/A"),
    Field("Status", "VARCHAR(1024)", "", "initializing / running / unknown / error"),
    Field("Logs", "TEXT", "", "whole text rewritten on each append"),
    Field("TerraformApplyStartTime", "TIMESTAMP", "", "terraform output after apply"),
    Field("TerraformApplyEndTime", "TIMESTAMP", "", "terraform output after apply"),
    Field("TerraformApplyDurationSeconds", "FLOAT", "", "EC2 creation only"),
    Field("CloudInitStartTime", "TIMESTAMP", "", "to_timestamp(epoch)"),
    Field("CloudInitEndTime", "TIMESTAMP", "", "to_timestamp(epoch)"),
    Field("CloudInitDurationSeconds", "FLOAT", "", ""),
    Field("ContainerStartTime", "TIMESTAMP", "", _NEVER),
    Field("ContainerEndTime", "TIMESTAMP", "", _NEVER),
    Field("ContainerStartupDurationSeconds", "FLOAT", "", ""),
    Field("TotalStartupDurationSeconds", "FLOAT", "", "sum of 3 durations, when all set"),
    Field("CreatedAt", "TIMESTAMP", "DEFAULT NOW()", ""),
)


def build() -> Diagram:
    nodes = (
        Node("vms_table", "vms (db.table_name)", "table",
             description="The VM table, created by init.sql; one row per client VM.",
             fields=COLUMNS,
             refs=(ref(_SQL, "statement CREATE TABLE", "sql"),
                   ref(_SQL, "column HostName", "sql"),
                   ref(_SQL, "column ContainerStartTime", "sql"),
                   ref("A/conf/config.yaml", "db.table_name", "config"),
                   ref("packages/allocator/start.sh", "psql -d postgres -f /app/init.sql", "shell"),
                   # the writers
                   ref(_DB, "PostgresqlDatabase.update_vm_status", "python"),
                   ref(_DB, "PostgresqlDatabase.update_terraform_timing", "python"),
                   ref(_DB, "PostgresqlDatabase.assign_vm", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_in_use", "python"),
                   ref(_DB, "PostgresqlDatabase.update_health", "python"),
                   ref(_DB, "PostgresqlDatabase.save_logs_by_hostname", "python"),
                   ref(_DB, "PostgresqlDatabase.update_vm_metrics", "python"),
                   ref(_DB, "PostgresqlDatabase.calculate_total_startup_time", "python"),
                   ref(_DB, "PostgresqlDatabase.clear_database", "python"),
                   # the positional reader
                   ref(_DB, "PostgresqlDatabase.get_vm_by_hostname", "python"))),
        Node("trigger", "trigger_crd_command_insert_or_update", "trigger",
             description="AFTER INSERT OR UPDATE OF CrdCommand ON the VM table, FOR EACH ROW.",
             refs=(ref(_SQL, "trigger trigger_crd_command_insert_or_update", "sql"),)),
        Node("notify_fn", "notify_crd_command_update()\nPL/pgSQL, RETURNS TRIGGER", "function",
             description="PERFORM pg_notify(channel, json_build_object(HostName, CrdCommand, Pin)::text); RETURN NEW.",
             refs=(ref(_SQL, "function notify_crd_command_update", "sql"),
                   ref(_SQL, "statement PERFORM", "sql"))),
        Node("channel", "channel vm_updates\n(db.message_channel)", "queue",
             description="NOTIFY channel; default vm_updates in config.yaml and structured_config.",
             refs=(ref("A/conf/config.yaml", "db.message_channel", "config"),
                   ref("A/conf/structured_config.py", "DatabaseConfig:message_channel", "python"))),
        Node("listener", "allocator listen_for_notifications\n(one connection per waiting VM)", "process",
             description="The only LISTENer: the allocator's /vm_startup handler; clients never connect.",
             refs=(ref(_DB, "PostgresqlDatabase.listen_for_notifications", "python"),
                   ref(_DB, "statement LISTEN", "sql"))),
    )
    steps = (
        Step(1, "vms_table", "trigger", "AFTER INSERT OR UPDATE OF CrdCommand", "trigger",
             description="FOR EACH ROW; an upsert INSERT fires it too, with CrdCommand NULL.",
             multiplicity=("0..*", "1"),
             refs=(ref(_SQL, "trigger trigger_crd_command_insert_or_update", "sql"),)),
        Step(2, "trigger", "notify_fn", "EXECUTE FUNCTION notify_crd_command_update()", "trigger",
             multiplicity=("1", "1"),
             refs=(ref(_SQL, "trigger trigger_crd_command_insert_or_update", "sql"),
                   ref(_SQL, "function notify_crd_command_update", "sql"))),
        Step(3, "notify_fn", "channel", "pg_notify {HostName, CrdCommand, Pin}", "notify",
             payload="json_build_object('HostName', 'CrdCommand', 'Pin')::text", multiplicity=("1", "1"),
             refs=(ref(_SQL, "statement PERFORM", "sql"),)),
        Step(4, "channel", "listener", "LISTEN vm_updates (allocator only)", "notify",
             description="Notifications with a NULL field or another HostName are skipped.",
             multiplicity=("1", "0..*"),
             refs=(ref(_DB, "statement LISTEN", "sql"),
                   ref(_DB, "PostgresqlDatabase.listen_for_notifications", "python"))),
    )
    notes = (
        Note("ContainerStartTime / ContainerEndTime are never stored: start.sh sends "
             "container_start_time / container_end_time, update_vm_metrics reads "
             "container_start / container_end.", node="vms_table"),
        Note("Identifiers are unquoted, so PostgreSQL folds them to lower case "
             "(hostname, crdcommand, ...) as the Python code writes them.", node="vms_table"),
        Note("get_vm_by_hostname maps columns by position (row[0..18], skipping Logs): "
             "the declared order matters.", node="vms_table"),
        Note("Rows come from upserts (update_vm_status, update_terraform_timing); insert_vm is never called.",
             node="vms_table"),
    )
    return Diagram(
        name="database-schema",
        title="PostgreSQL schema (in-container): VM table, trigger, notify",
        description=(
            "The allocator's in-container PostgreSQL at the baseline: the single VM table with its 19 "
            "columns in declared order, the trigger on CrdCommand, the PL/pgSQL function that calls "
            "pg_notify, the vm_updates channel and its only listener, the allocator."
        ),
        priority="supplementary",
        views=("schema",),
        direction="TB",  # a table then a chain of four objects: reads best top to bottom
        nodes=nodes, steps=steps, notes=notes,
        baseline=BASELINE,
    )
