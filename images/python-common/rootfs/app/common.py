"""What the vote, worker and result programs share; the build copies it into each of their images as /app/common.py."""
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_PASSWORD_FILE = "/run/secrets/db-password"


def logger(program):
    """A log function that prefixes each line with the program's name and flushes it at once."""
    return lambda message: print(f"{program}: {message}", flush=True)


def db_password():
    """DB_PASSWORD_FILE if set, else DB_PASSWORD if set, else the default secret file."""
    path = os.environ.get("DB_PASSWORD_FILE")
    if not path and os.environ.get("DB_PASSWORD"):
        return os.environ["DB_PASSWORD"]
    path = path or DEFAULT_PASSWORD_FILE
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().rstrip("\n")
    except OSError as error:
        raise RuntimeError(f"cannot read the db password from {path} ({error.strerror}); "
                           f"set DB_PASSWORD_FILE to a file readable by uid {os.getuid()}, or DB_PASSWORD")


def exit_on_sigterm():
    """As PID 1 a process gets no default SIGTERM handling: exit explicitly so `docker stop` is quick."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


class Handler(BaseHTTPRequestHandler):
    """A request handler that answers with one body and logs through the program's log function."""

    log = staticmethod(logger("http"))

    def send(self, status, content_type, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        self.log(f"{self.address_string()} {format % args}")


def serve(handler, port, log, what):
    """Serves `handler` on every interface until SIGTERM."""
    exit_on_sigterm()
    server = ThreadingHTTPServer(("0.0.0.0", port), handler)
    server.daemon_threads = True
    log(f"listening on :{port}, {what}")
    server.serve_forever()
