"""The worker of the voting app: moves queued votes from redis into postgres.

Pops JSON votes {"voter_id": ..., "vote": ...} off the redis list `votes` (BLPOP) and stores them in the table
votes(id, vote), one row per voter: a voter who votes again changes their row, like the upstream worker.
Waits for redis and the database with a capped backoff and reconnects when either goes away; a vote whose
database write fails for want of a connection goes back to the head of the queue.

Environment: REDIS_HOST (default redis), DB_HOST (db), DB_USER (postgres), DB_NAME (postgres), and the password
from the file named by DB_PASSWORD_FILE (default /run/secrets/db-password) or from DB_PASSWORD.
"""
import json
import os
import time

import psycopg2
import redis

from common import db_password, exit_on_sigterm, logger

REDIS_HOST = os.environ.get("REDIS_HOST", "redis")
DB_HOST = os.environ.get("DB_HOST", "db")
DB_USER = os.environ.get("DB_USER", "postgres")
DB_NAME = os.environ.get("DB_NAME", "postgres")
MAX_BACKOFF_SECONDS = 5.0
POP_TIMEOUT_SECONDS = 5

CREATE_TABLE = "CREATE TABLE IF NOT EXISTS votes (id VARCHAR(255) NOT NULL UNIQUE, vote VARCHAR(255) NOT NULL)"
UPSERT = "INSERT INTO votes (id, vote) VALUES (%s, %s) ON CONFLICT (id) DO UPDATE SET vote = EXCLUDED.vote"

log = logger("worker")


def with_retry(what, connect):
    """Calls connect() until it succeeds, sleeping 0.5 s, 1 s, 2 s ... at most MAX_BACKOFF_SECONDS between tries."""
    delay, attempt = 0.5, 0
    while True:
        attempt += 1
        try:
            result = connect()
            log(f"connected to {what}" + (f" after {attempt} attempts" if attempt > 1 else ""))
            return result
        except (redis.RedisError, psycopg2.Error, RuntimeError) as error:
            log(f"waiting for {what} (attempt {attempt}): {str(error).strip()}")
            time.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF_SECONDS)


def connect_redis():
    client = redis.Redis(host=REDIS_HOST, port=6379, socket_connect_timeout=3,
                         socket_timeout=POP_TIMEOUT_SECONDS + 5)
    client.ping()
    return client


def connect_db():
    conn = psycopg2.connect(host=DB_HOST, user=DB_USER, dbname=DB_NAME, password=db_password(), connect_timeout=3)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(CREATE_TABLE)
    return conn


def main():
    exit_on_sigterm()
    queue = with_retry(f"redis at {REDIS_HOST}", connect_redis)
    db = with_retry(f"db at {DB_HOST}", connect_db)
    while True:
        try:
            item = queue.blpop("votes", timeout=POP_TIMEOUT_SECONDS)
        except redis.RedisError as error:
            log(f"lost redis: {error}")
            queue = with_retry(f"redis at {REDIS_HOST}", connect_redis)
            continue
        if item is None:
            continue
        raw = item[1]
        try:
            vote = json.loads(raw)
            voter_id, choice = str(vote["voter_id"]), str(vote["vote"])
        except (ValueError, KeyError, TypeError):
            log(f"dropping a malformed vote: {raw[:200]!r}")
            continue
        try:
            with db.cursor() as cur:
                cur.execute(UPSERT, (voter_id, choice))
            log(f"stored vote {choice} of voter {voter_id}")
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
            log(f"lost the db: {str(error).strip()}; putting the vote back")
            try:
                queue.lpush("votes", raw)
            except redis.RedisError as requeue_error:
                log(f"could not put back vote {raw!r}: {requeue_error}")
            db.close()
            db = with_retry(f"db at {DB_HOST}", connect_db)
        except psycopg2.Error as error:
            log(f"dropping vote {raw!r}: {str(error).strip()}")


if __name__ == "__main__":
    main()
