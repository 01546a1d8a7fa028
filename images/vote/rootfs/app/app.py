"""The ballot of the voting app.

GET /   an HTML form with two options, "a" and "b".
POST /  with form field vote=a|b: queues {"voter_id": ..., "vote": ...} as JSON on the redis list `votes`
        (RPUSH), like the upstream vote app. The voter is identified by the `voter_id` cookie, which is set
        to a random hex id when the browser has none; voting again changes that voter's vote.

Environment: REDIS_HOST (default redis), OPTION_A (Cats), OPTION_B (Dogs), PORT (80).
"""
import html
import json
import os
import secrets
import socket
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

import redis

from common import Handler, logger, serve

REDIS_HOST = os.environ.get("REDIS_HOST", "redis")
OPTIONS = {"a": os.environ.get("OPTION_A", "Cats"), "b": os.environ.get("OPTION_B", "Dogs")}
PORT = int(os.environ.get("PORT", "80"))
MAX_BODY = 4096

# redis-py connects lazily and reconnects on the next command after a connection is lost.
queue = redis.Redis(host=REDIS_HOST, port=6379, socket_connect_timeout=3, socket_timeout=3)

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{a} vs {b}!</title></head>
<body>
<h1>{a} vs {b}!</h1>
<form method="POST" action="/">
  <button name="vote" value="a">{a}</button>
  <button name="vote" value="b">{b}</button>
</form>
<p>{message}</p>
<p><small>Processed by container ID {hostname}</small></p>
</body>
</html>
"""


log = logger("vote")


class Ballot(Handler):
    log = staticmethod(log)

    def do_GET(self):
        if self.path.split("?")[0] not in ("/", "/index.html"):
            return self.reply(404, "Not found")
        self.reply(200, "")

    def do_POST(self):
        if self.path.split("?")[0] != "/":
            return self.reply(404, "Not found")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self.reply(413, "Request too large")
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        vote = form.get("vote", [""])[0]
        if vote not in OPTIONS:
            return self.reply(400, "Vote for a or b")
        voter_id = self.voter_id()
        try:
            queue.rpush("votes", json.dumps({"voter_id": voter_id, "vote": vote}))
        except redis.RedisError as error:
            log(f"could not queue a vote: {error}")
            return self.reply(503, "Could not record your vote, try again")
        log(f"queued vote {vote} from {voter_id}")
        self.reply(200, f"You voted for {OPTIONS[vote]}")

    def voter_id(self):
        cookie = SimpleCookie(self.headers.get("Cookie", ""))
        if "voter_id" in cookie and cookie["voter_id"].value:
            return cookie["voter_id"].value
        if not hasattr(self, "_new_voter_id"):
            self._new_voter_id = secrets.token_hex(8)
        return self._new_voter_id

    def reply(self, status, message):
        body = PAGE.format(
            a=html.escape(OPTIONS["a"]),
            b=html.escape(OPTIONS["b"]),
            message=html.escape(message),
            hostname=html.escape(socket.gethostname()),
        ).encode()
        cookie = ("Set-Cookie", f"voter_id={self.voter_id()}; Path=/; SameSite=Lax")
        self.send(status, "text/html; charset=utf-8", body, headers=[cookie])


def main():
    serve(Ballot, PORT, log, f"queueing votes on redis at {REDIS_HOST}:6379")


if __name__ == "__main__":
    main()
