"""The worker of the voting app: moves queued votes from redis into postgres, none lost when a worker dies.

Takes JSON votes {"voter_id": ..., "vote": ...} off the redis list `votes` and stores them in the table votes(id,
vote), one row per voter: a voter who votes again changes their row, like the upstream worker. Unlike upstream's
pop, a vote is claimed, not taken: BLMOVE moves it onto this worker's own list `votes:processing:<worker>`, and it
leaves that list only once the database has it. A worker says it is alive with a key that expires
(`votes:worker:<worker>`, ALIVE_SECONDS); every worker puts the claimed votes of one whose key expired back on the
queue. So a worker killed between the claim and the write (its node lost, its daemon killed, its connection cut
one way) delays a vote, never drops it; a vote written twice is the same row.
Waits for redis and the database with a capped backoff and reconnects when either goes away.

Environment: REDIS_HOST (default redis), DB_HOST (db), DB_USER (postgres), DB_NAME (postgres), and the password
from the file named by DB_PASSWORD_FILE (default /run/secrets/db-password) or from DB_PASSWORD.
"""
import json
import os
import socket
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

QUEUE = "votes"
# The container's hostname: one a task or container.
WORKER = socket.gethostname()
CLAIMED = f"votes:processing:{WORKER}"
ALIVE_PREFIX = "votes:worker:"
# Longer than a wait for a vote plus a write: a worker silent for this long is gone.
ALIVE_SECONDS = 15
RECLAIM_EVERY_SECONDS = 5

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
                         socket_timeout=POP_TIMEOUT_SECONDS + 5, decode_responses=True)
    client.ping()
    return client


def connect_db():
    conn = psycopg2.connect(host=DB_HOST, user=DB_USER, dbname=DB_NAME, password=db_password(), connect_timeout=3)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(CREATE_TABLE)
    return conn


def reclaim(queue):
    """Puts the votes claimed by workers that are gone (their alive key expired) back at the head of the queue."""
    for key in queue.scan_iter(match="votes:processing:*"):
        owner = key[len("votes:processing:"):]
        if owner == WORKER or queue.exists(ALIVE_PREFIX + owner):
            continue
        moved = 0
        while queue.lmove(key, QUEUE, "RIGHT", "LEFT") is not None:
            moved += 1
        if moved:
            log(f"put {moved} vote(s) claimed by worker {owner}, which is gone, back on the queue")


def next_vote(queue):
    """This worker's oldest claimed vote (one whose write failed), else a new one claimed off the queue, or None."""
    return queue.lindex(CLAIMED, 0) or queue.blmove(QUEUE, CLAIMED, POP_TIMEOUT_SECONDS, "LEFT", "RIGHT")


def main():
    exit_on_sigterm()
    queue = with_retry(f"redis at {REDIS_HOST}", connect_redis)
    db = with_retry(f"db at {DB_HOST}", connect_db)
    last_reclaim = 0.0
    while True:
        try:
            queue.set(ALIVE_PREFIX + WORKER, 1, ex=ALIVE_SECONDS)
            if time.monotonic() - last_reclaim >= RECLAIM_EVERY_SECONDS:
                reclaim(queue)
                last_reclaim = time.monotonic()
            raw = next_vote(queue)
        except redis.RedisError as error:
            log(f"lost redis: {error}")
            queue = with_retry(f"redis at {REDIS_HOST}", connect_redis)
            continue
        if raw is None:
            continue
        try:
            vote = json.loads(raw)
            voter_id, choice = str(vote["voter_id"]), str(vote["vote"])
        except (ValueError, KeyError, TypeError):
            log(f"dropping a malformed vote: {raw[:200]!r}")
            voter_id = None
        if voter_id is not None:
            try:
                with db.cursor() as cur:
                    cur.execute(UPSERT, (voter_id, choice))
                log(f"stored vote {choice} of voter {voter_id}")
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
                # The vote stays claimed: next_vote returns it again once the db is back.
                log(f"lost the db: {str(error).strip()}; the vote stays claimed")
                db.close()
                db = with_retry(f"db at {DB_HOST}", connect_db)
                continue
            except psycopg2.Error as error:
                log(f"dropping vote {raw!r}: {str(error).strip()}")
        try:
            queue.lrem(CLAIMED, 1, raw)
        except redis.RedisError as error:
            # Still claimed: written again later, the same row.
            log(f"lost redis: {error}")
            queue = with_retry(f"redis at {REDIS_HOST}", connect_redis)


if __name__ == "__main__":
    main()
