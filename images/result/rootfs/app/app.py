"""The result page of the voting app: the current tally of the votes stored in postgres.

GET /              an HTML page with the counts for a and b (refreshes itself every few seconds)
GET /results.json  {"a": N, "b": M, "total": N + M}
Counts come from `SELECT vote, COUNT(id) FROM votes GROUP BY vote`; before the worker has created the table they
are zero. When the database cannot be reached both answer 503.

Environment: DB_HOST (default db), DB_USER (postgres), DB_NAME (postgres), the password from the file named by
DB_PASSWORD_FILE (default /run/secrets/db-password) or from DB_PASSWORD, OPTION_A (Cats), OPTION_B (Dogs),
PORT (80).
"""
import html
import json
import os
from contextlib import closing

import psycopg2
import psycopg2.errors

from common import Handler, db_password, logger, serve

DB_HOST = os.environ.get("DB_HOST", "db")
DB_USER = os.environ.get("DB_USER", "postgres")
DB_NAME = os.environ.get("DB_NAME", "postgres")
OPTIONS = {"a": os.environ.get("OPTION_A", "Cats"), "b": os.environ.get("OPTION_B", "Dogs")}
PORT = int(os.environ.get("PORT", "80"))

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>{a} vs {b} -- Result</title></head>
<body>
<h1>{a} vs {b}</h1>
<table>
  <tr><th>{a}</th><td id="a">{count_a}</td><td>{percent_a}%</td></tr>
  <tr><th>{b}</th><td id="b">{count_b}</td><td>{percent_b}%</td></tr>
</table>
<p id="total">{total} votes</p>
</body>
</html>
"""


log = logger("result")


def tally():
    """{"a": N, "b": M, "total": N + M}, read with a fresh connection each time."""
    counts = {"a": 0, "b": 0}
    conn = psycopg2.connect(host=DB_HOST, user=DB_USER, dbname=DB_NAME, password=db_password(), connect_timeout=3)
    with closing(conn):
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT vote, COUNT(id) AS count FROM votes GROUP BY vote")
                for vote, count in cur.fetchall():
                    if vote in counts:
                        counts[vote] = count
        except psycopg2.errors.UndefinedTable:
            pass  # no vote has been stored yet
    counts["total"] = counts["a"] + counts["b"]
    return counts


class Results(Handler):
    log = staticmethod(log)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path not in ("/", "/index.html", "/results.json"):
            return self.send(404, "text/plain", b"Not found\n")
        try:
            counts = tally()
        except (psycopg2.Error, RuntimeError) as error:
            message = str(error).strip()
            log(f"cannot read the tally: {message}")
            return self.send(503, "application/json", json.dumps({"error": message}).encode())
        if path == "/results.json":
            return self.send(200, "application/json", json.dumps(counts).encode())
        total = counts["total"]
        body = PAGE.format(
            a=html.escape(OPTIONS["a"]),
            b=html.escape(OPTIONS["b"]),
            count_a=counts["a"],
            count_b=counts["b"],
            percent_a=round(100 * counts["a"] / total) if total else 50,
            percent_b=round(100 * counts["b"] / total) if total else 50,
            total=total,
        )
        self.send(200, "text/html; charset=utf-8", body.encode())

    def send(self, status, content_type, body):
        super().send(status, content_type, body, headers=[("Cache-Control", "no-store")])


def main():
    serve(Results, PORT, log, f"reading votes from postgres at {DB_HOST}:5432")


if __name__ == "__main__":
    main()
