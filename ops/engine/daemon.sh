# Sourced by the scripts that start long-lived servers (ops/engine/start-docker.sh, ops/state/start-postgres.sh).
#
# start_daemon LOG COMMAND [ARGS...]
#   Starts COMMAND in the background, in a session of its own, so that it outlives the script and the shell that
#   ran it, with stdin from /dev/null and stdout/stderr appended to LOG, and with nothing of its caller's:
#   - no open file descriptor above 2: a daemon inherits every descriptor its parent did not mark close-on-exec,
#     and a lock it inherits (ops/main-job/voting-app.sh holds .voting-app.lock on fd 8) stays held for as long as the
#     daemon and everything it starts (containerd, shims, docker-proxy) run;
#   - umask 022: files the daemon creates (image layers, volumes, sockets) must not take the modes of a caller
#     that wanted its own files private;
#   - working directory /: the caller's may be a folder the daemon's user cannot enter, or one that goes away.
start_daemon() {
  local log="$1"; shift
  (
    umask 022
    local fd
    for fd in $(ls /proc/"$BASHPID"/fd); do
      # 255 is bash's own copy of the script, already close-on-exec.
      if [ "$fd" -gt 2 ] && [ "$fd" != 255 ]; then eval "exec $fd>&-"; fi
    done
    exec </dev/null >>"$log" 2>&1
    cd /
    exec setsid "$@"
  ) &
}
