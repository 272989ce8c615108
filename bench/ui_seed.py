"""Helper of bench/ui.sh: seeds local mode's database by SQL (through the mariadb client on its own socket), cloning
one real run (the template, submitted through the API and finished) into many: N runs in one project (rows of runs,
steps, attempts, run_parameters and run_metrics), and a run whose metric 'loss' holds P points (metric_chunks, packed
as workers write them: [[seq,value,timeMs,x],...], io.baton.protocol.PackedPoints). Every column the template row has
is copied unless overridden, so that columns added later are filled as the server filled them.

Usage: ui_seed.py runs SOCKET TEMPLATE_ID PROJECT COUNT ID_PREFIX
       ui_seed.py chart SOCKET TEMPLATE_ID PROJECT POINTS RUN_ID   (prints nothing; the run gets id RUN_ID)
"""
import subprocess
import sys

CHUNK = 1000  # points per metric_chunks row (a worker's batch holds up to a few thousand)


def mariadb(socket, sql, capture=False):
    r = subprocess.run(["mariadb", "--socket=" + socket, "--batch", "--skip-column-names", "baton"],
                       input=sql, text=True, check=True, capture_output=capture)
    return r.stdout if capture else None


def columns(socket, table):
    out = mariadb(socket, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'baton' "
                          "AND table_name = '%s' ORDER BY ordinal_position;" % table, capture=True)
    return out.split()


def clone(socket, table, key, overrides, source):
    """INSERT INTO table (every column) SELECT override or t.column FROM source JOIN table t ON t.key = @template."""
    cols = columns(socket, table)
    exprs = [overrides.get(c, "t.`%s`" % c) for c in cols]
    return "INSERT INTO `%s` (%s) SELECT %s FROM %s JOIN `%s` t ON t.`%s` = @template;\n" % (
        table, ", ".join("`%s`" % c for c in cols), ", ".join(exprs), source, table, key)


def run_rows(socket, template, project, source):
    """The statements that copy the template run (runs, steps, attempts, parameters, last metrics) for each row of
    source, a derived table of (seq, nid, failed, lr)."""
    status = "IF(s.failed, 'FAILED', t.status)"
    sql = "SET @template = '%s';\n" % template
    sql += clone(socket, "runs", "id", {
        "id": "s.nid", "project": "'%s'" % project, "status": status, "workflow_id": "CONCAT('run-', s.nid)",
        "parameters": "CONCAT('{\"lr\":', s.lr, '}')", "plan": "REPLACE(t.plan, t.id, s.nid)",
        "created_at": "t.created_at - s.seq * 60000", "started_at": "t.created_at - s.seq * 60000 + 400",
        "finished_at": "t.created_at - s.seq * 60000 + 5000", "idempotency_key": "NULL",
        "message": "IF(s.failed, 'step train failed: exit code 3', t.message)",
    }, source)
    sql += clone(socket, "steps", "run_id", {"run_id": "s.nid", "status": status,
                                            "exit_code": "IF(s.failed, 3, t.exit_code)"}, source)
    sql += clone(socket, "attempts", "run_id", {"run_id": "s.nid", "status": status,
                                               "exit_code": "IF(s.failed, 3, t.exit_code)"}, source)
    sql += clone(socket, "run_parameters", "run_id", {
        "run_id": "s.nid", "value_number": "IF(t.name = 'lr', s.lr, t.value_number)",
        "value_text": "IF(t.name = 'lr', CAST(s.lr AS CHAR), t.value_text)"}, source)
    sql += clone(socket, "run_metrics", "run_id", {
        "run_id": "s.nid", "metric_value": "ROUND(t.metric_value / (1 + s.seq % 97), 6)"}, source)
    return sql


def runs(socket, template, project, count, prefix):
    """COUNT runs in PROJECT, ids PREFIX + 6 hex digits + the rest of the template's id (UUID-shaped, distinct)."""
    count = int(count)
    width = 8 - len(prefix)
    source = ("(SELECT seq, CONCAT('%s', LPAD(HEX(seq), %d, '0'), SUBSTRING(@template, 9)) AS nid, seq %% 7 = 0 AS "
              "failed, ROUND(0.0001 * seq, 4) AS lr FROM seq_1_to_%d) s" % (prefix, width, count))
    mariadb(socket, "SET autocommit = 0;\n" + run_rows(socket, template, project, source) + "COMMIT;\n")


def chart(socket, template, project, points, run_id):
    """One run (id RUN_ID) whose step of the template has POINTS points of 'loss', x {"epoch": n}."""
    points = int(points)
    source = "(SELECT 0 AS seq, '%s' AS nid, 0 AS failed, 0.01 AS lr) s" % run_id
    sql = "SET autocommit = 0;\n" + run_rows(socket, template, project, source)
    sql += "DELETE FROM metric_chunks WHERE run_id = '%s';\n" % run_id
    step = "(SELECT name FROM steps WHERE run_id = '%s' ORDER BY step_order LIMIT 1)" % run_id
    start = 1_700_000_000_000
    for batch, first in enumerate(range(0, points, CHUNK)):
        packed = ",".join("[%d,%s,%d,{\"epoch\":%d}]" % (i, repr(round(1.0 / (1 + i / 1000) + (i % 13) * 0.001, 6)),
                                                        start + i * 100, i + 1)
                          for i in range(first, min(points, first + CHUNK)))
        sql += ("INSERT INTO metric_chunks (run_id, step, attempt, name, batch_seq, points) VALUES "
                "('%s', %s, 1, 'loss', %d, '[%s]');\n" % (run_id, step, batch, packed))
    sql += ("DELETE FROM run_metrics WHERE run_id = '%s';\n"
            "INSERT INTO run_metrics (run_id, name, step, attempt, seq, time_ms, metric_value) "
            "VALUES ('%s', 'loss', %s, 1, %d, %d, 0.5);\n" % (run_id, run_id, step, points - 1, start))
    mariadb(socket, sql + "COMMIT;\n")


if __name__ == "__main__":
    commands = {"runs": runs, "chart": chart}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
