#!/usr/bin/env bash
# The lab: N Docker hosts on this machine, each a dockerd in network, mount and UTS namespaces of its own, joined in
# a swarm and reached from here over TLS (docs/lab.md).
#   npm run lab -- up [N]     N hosts (default 3, at most 9); prints the manager's environment on stdout:
#                             eval "$(npm run --silent lab -- up)"; each node's address goes to stderr
#   npm run lab -- down       ends everything the lab started and removes its state
#   npm run lab -- kill I     SIGKILLs node I's dockerd (a node loss; its containers run on until `up` or `down`)
#   npm run lab -- status     the nodes, their addresses and whether their engine answers
#   npm run lab -- preflight  says what this machine or its kernel lacks for the lab (exit 1), installing the tools
# `up` is idempotent: on a lab that runs it only prints the environment again; a node whose daemon is gone (after
# `kill`) is started again and rejoins the swarm. A failed `up` tears down what it started (trap).
#
# The layout (LAB_SUBNET=10.77.0.0/24 by default; refused where the range is routed already):
#   namespace dlab-switch    a bridge, br0, joining one veth a node and one from the root namespace
#   root namespace           dlab0, 10.77.0.1: the only lab address outside the lab's own namespaces
#   namespace dlab-nodeI     eth0, 10.77.0.(10+I); dockerd listening on tcp://10.77.0.(10+I):2376 with --tlsverify
# The switch is not in the root namespace: the local engine's iptables FORWARD policy (DROP) would drop bridged
# traffic there. Each dockerd runs under `unshare --mount --uts` (hostname dlab-nodeI), where the cgroup
# hierarchies are mounted again (`ip netns exec` remounts /sys, which drops them), with its own data root, exec
# root, pid file, socket, containerd namespaces and cgroup parent /dlab-nodeI, all under LAB_DIR.
#   LAB_DIR           the lab's state: certificates, data roots, logs (default /var/lib/docker-lab)
#   LAB_SUBNET        a free /24 (default 10.77.0.0/24)
#   LAB_WAIT_SECONDS  how long to wait for each step: daemons answering, nodes ready (default 60)
set -euo pipefail
ACTION="${1:-}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=ops/engine/daemon.sh
source "$ROOT/ops/engine/daemon.sh"

LAB_DIR="$(realpath -m "${LAB_DIR:-/var/lib/docker-lab}")"
LAB_SUBNET="${LAB_SUBNET:-10.77.0.0/24}"
WAIT_SECONDS="${LAB_WAIT_SECONDS:-60}"
PORT=2376
MAX_NODES=9
digit='^[1-9]$'
SWITCH=dlab-switch
ROOT_LINK=dlab0
# Marks LAB_DIR as the lab's, so that `down` never removes a folder it did not make.
MARKER=.docker-lab
# An engine label that says this kernel has no IPVS: the main job then publishes in host mode (ops/main-job).
IPVS_LABEL=cdktf-docker-networking.ipvs=false

say() { echo "lab: $*" >&2; }
# A failed `up` prints `false` on stdout: `eval "$(npm run --silent lab -- up)"` then fails too (a script under set -e
# stops there) instead of going on with no DOCKER_HOST, against this machine's engine.
die() { say "$*"; [ "${ACTION:-}" != up ] || echo false; exit 1; }

subnet_form='^(10|172|192)\.[0-9]{1,3}\.[0-9]{1,3}\.0/24$'
if [[ ! "$LAB_SUBNET" =~ $subnet_form ]]; then
  die "LAB_SUBNET=$LAB_SUBNET: give a private /24 ending in .0/24, e.g. 10.77.0.0/24"
fi
NET="${LAB_SUBNET%.0/24}"
ROOT_ADDR="$NET.1"

node_ns() { echo "dlab-node$1"; }
node_addr() { echo "$NET.$((10 + $1))"; }
node_dir() { echo "$LAB_DIR/node$1"; }
node_sock() { echo "unix://$(node_dir "$1")/docker.sock"; }
# docker on node I through its unix socket (from the root namespace: the socket is a file in LAB_DIR).
on_node() { local i="$1"; shift; DOCKER_HOST="$(node_sock "$i")" DOCKER_TLS_VERIFY='' DOCKER_CERT_PATH='' docker "$@"; }
answers() { on_node "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
daemon_pid() { local f; f="$(node_dir "$1")/docker.pid"; [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"; }
# The nodes a lab has now: from its state folder, or from its namespaces where the folder is gone.
lab_nodes() {
  { [ -f "$LAB_DIR/nodes" ] && seq 1 "$(cat "$LAB_DIR/nodes")"
    find "$LAB_DIR" -maxdepth 1 -name 'node[0-9]' -printf '%f\n' 2>/dev/null | tr -d node
    ip netns list 2>/dev/null | sed -n 's/^dlab-node\([0-9]\+\).*/\1/p'; } | sort -un
}

print_env() {
  echo "export DOCKER_HOST=tcp://$(node_addr 1):$PORT"
  echo "export DOCKER_TLS_VERIFY=1"
  echo "export DOCKER_CERT_PATH=$LAB_DIR/client"
}

# ---------------------------------------------------------------------------------------------------------------
# Preflight: what this machine or its kernel lacks, each with its reason.

install_missing() {
  local missing=()
  command -v ip >/dev/null || missing+=(iproute2)
  command -v unshare >/dev/null || missing+=(util-linux)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v dockerd >/dev/null || missing+=(docker.io)
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]} with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Every reason the lab cannot run here, one a line; nothing when it can.
lacks() {
  [ "$(id -u)" = 0 ] || { echo "root: network namespaces, veth pairs and dockerd need it"; return; }
  [ -e /proc/self/ns/net ] || echo "network namespaces (CONFIG_NET_NS)"
  unshare --mount --uts --propagation private true 2>/dev/null || echo "mount and UTS namespaces (unshare --mount --uts failed)"
  grep -qs ' /sys/fs/cgroup/\| /sys/fs/cgroup ' /proc/self/mounts || echo "cgroups: nothing is mounted under /sys/fs/cgroup"
  local probe=dlab-probe ok=1
  ip netns del "$probe" 2>/dev/null || true
  if ! ip netns add "$probe" 2>/dev/null; then
    echo "ip netns add failed (network namespaces)"
    return
  fi
  ip -n "$probe" link add pa type veth peer name pb 2>/dev/null || { echo "veth pairs (CONFIG_VETH)"; ok=0; }
  ip -n "$probe" link add pbr type bridge 2>/dev/null || { echo "bridges (CONFIG_BRIDGE)"; ok=0; }
  ip -n "$probe" link add pvx type vxlan id 42 dstport 4789 2>/dev/null || { echo "VXLAN (CONFIG_VXLAN): overlay networks between nodes need it"; ok=0; }
  ip netns exec "$probe" iptables -t nat -L >/dev/null 2>&1 || { echo "iptables' nat table in a namespace (dockerd needs it)"; ok=0; }
  ip netns del "$probe"
  [ "$ok" = 1 ] || return 0
}

# The lab's range must not be in use: a route inside it, or one that holds it (the default route aside).
refuse_routed_range() {
  local routes
  routes="$( { ip -4 route show root "$LAB_SUBNET"; ip -4 route show match "$LAB_SUBNET" | grep -v '^default'; } | grep -v " dev $ROOT_LINK " | sort -u || true)"
  if [ -n "$routes" ]; then
    die "LAB_SUBNET=$LAB_SUBNET is routed on this machine already ($(echo "$routes" | head -n 1)); choose a free /24 with LAB_SUBNET"
  fi
}

has_ipvs() { [ -d /sys/module/ip_vs ] || grep -qw '^ip_vs' /proc/modules 2>/dev/null; }

# ---------------------------------------------------------------------------------------------------------------
# Certificates: a throwaway CA, a server certificate a node (for its lab address), one client certificate.

make_certificates() {
  local n="$1" tls="$LAB_DIR/tls" i
  mkdir -p "$tls" "$LAB_DIR/client"
  (
    umask 077
    cd "$tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 -subj "/CN=docker lab CA" \
      -keyout ca-key.pem -out ca.pem 2>/dev/null
    sign() { # sign NAME SUBJECT EXTENSIONS
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$2" -keyout "$1-key.pem" -out "$1.csr" 2>/dev/null
      printf '%s\n' "$3" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 7 -extfile "$1.ext" -out "$1-cert.pem" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    for i in $(seq 1 "$n"); do
      sign "node$i" "dlab-node$i" "subjectAltName=IP:$(node_addr "$i"),IP:127.0.0.1
extendedKeyUsage=serverAuth"
    done
    sign client "docker lab client" "extendedKeyUsage=clientAuth"
  )
  cp "$tls/ca.pem" "$LAB_DIR/client/ca.pem"
  cp "$tls/client-cert.pem" "$LAB_DIR/client/cert.pem"
  cp "$tls/client-key.pem" "$LAB_DIR/client/key.pem"
  chmod 600 "$LAB_DIR/client/key.pem"
}

# ---------------------------------------------------------------------------------------------------------------
# The network: the switch namespace, the root namespace's link to it, a namespace a node.

make_switch() {
  ip netns add "$SWITCH"
  ip -n "$SWITCH" link set lo up
  ip -n "$SWITCH" link add br0 type bridge
  ip -n "$SWITCH" link set br0 up
  ip link add "$ROOT_LINK" type veth peer name "$ROOT_LINK-sw"
  ip link set "$ROOT_LINK-sw" netns "$SWITCH"
  ip -n "$SWITCH" link set "$ROOT_LINK-sw" master br0 up
  ip addr add "$ROOT_ADDR/24" dev "$ROOT_LINK"
  ip link set "$ROOT_LINK" up
}

make_node_network() {
  local i="$1" ns
  ns="$(node_ns "$i")"
  ip netns add "$ns"
  ip link add "dlab-v$i" type veth peer name "dlab-v${i}e"
  ip link set "dlab-v$i" netns "$SWITCH"
  ip -n "$SWITCH" link set "dlab-v$i" master br0 up
  ip link set "dlab-v${i}e" netns "$ns"
  ip -n "$ns" link set "dlab-v${i}e" name eth0
  ip -n "$ns" addr add "$(node_addr "$i")/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
}

# ---------------------------------------------------------------------------------------------------------------
# The daemons.

# The cgroup hierarchies as mounted here, one `TYPE OPTIONS PATH` a line, for the node to mount again.
cgroup_mounts() { awk '$3 == "cgroup" || $3 == "cgroup2" { print $3, $4, $2 }' /proc/self/mounts; }

start_node() {
  local i="$1" dir args
  dir="$(node_dir "$i")"
  mkdir -p "$dir"
  [ -f "$dir/daemon.json" ] || echo '{}' >"$dir/daemon.json"
  rm -f "$dir/docker.pid" "$dir/docker.sock"
  args=(
    --config-file "$dir/daemon.json"
    --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid"
    -H "$(node_sock "$i")" -H "tcp://$(node_addr "$i"):$PORT"
    --tlsverify --tlscacert "$LAB_DIR/tls/ca.pem" --tlscert "$LAB_DIR/tls/node$i-cert.pem" --tlskey "$LAB_DIR/tls/node$i-key.pem"
    --containerd-namespace "dlab-node$i" --containerd-plugins-namespace "dlab-node$i-plugins"
    --cgroup-parent "/dlab-node$i" --label "lab.node=dlab-node$i"
  )
  has_ipvs || args+=(--label "$IPVS_LABEL")
  start_daemon "$dir/dockerd.log" ip netns exec "$(node_ns "$i")" unshare --mount --uts --propagation private \
    bash "$ROOT/ops/lab/node-daemon.sh" "dlab-node$i" "$(cgroup_mounts | paste -sd ';')" "${args[@]}"
}

# wait_for WHAT CHECK...: runs CHECK every half second until it succeeds, at most WAIT_SECONDS.
wait_for() {
  local what="$1" tries; shift
  for tries in $(seq 1 $((WAIT_SECONDS * 2))); do
    "$@" && return 0
    sleep 0.5
  done
  say "$what: not within ${WAIT_SECONDS}s"
  return 1
}

node_ready_count() { on_node 1 node ls --format '{{.Status}}' 2>/dev/null | grep -c '^Ready$' || true; }
all_ready() { [ "$(node_ready_count)" -ge "$1" ]; }

show_nodes() {
  local n="$1" i role
  for i in $(seq 1 "$n"); do
    role=worker
    [ "$i" = 1 ] && role=manager
    say "node$i $(node_addr "$i") $role: DOCKER_HOST=tcp://$(node_addr "$i"):$PORT (hostname dlab-node$i, log $(node_dir "$i")/dockerd.log)"
  done
}

preflight() {
  install_missing
  local why
  why="$(lacks)"
  [ -z "$why" ] || die "cannot run the lab on this machine; it lacks: $(echo "$why" | paste -sd ';' | sed 's/;/; /g')"
}

up() {
  local n="${1:-3}" i started
  [[ "$n" =~ $digit ]] || die "up $n: give a number of nodes from 1 to $MAX_NODES"
  preflight

  if [ -f "$LAB_DIR/nodes" ]; then
    local have
    have="$(cat "$LAB_DIR/nodes")"
    [ "$have" = "$n" ] || die "a lab of $have nodes is up ($LAB_DIR); npm run lab -- down first"
    # Up already: start again the daemons that are gone (a node `kill` took down); they rejoin on their own.
    for i in $(seq 1 "$n"); do
      if ! daemon_pid "$i" >/dev/null; then
        say "node$i: its dockerd is not running; starting it again"
        end_node_processes "$i"
        start_node "$i"
      fi
    done
    for i in $(seq 1 "$n"); do wait_for "node$i answering" answers "$i" || die "node$i does not answer (log: $(node_dir "$i")/dockerd.log)"; done
    wait_for "$n nodes Ready in the swarm" all_ready "$n" || die "the swarm has $(node_ready_count) of $n nodes Ready"
    show_nodes "$n"
    print_env
    return
  fi

  refuse_routed_range
  # Anything of an earlier lab (a folder without its node count: an `up` that never finished) goes first.
  down_quietly
  started="$(date +%s%N)"
  trap 'say "up failed; tearing down what it started"; echo false; down_quietly' EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$LAB_DIR"
  chmod 711 "$LAB_DIR"
  touch "$LAB_DIR/$MARKER"
  make_certificates "$n"
  make_switch
  for i in $(seq 1 "$n"); do make_node_network "$i"; done
  for i in $(seq 1 "$n"); do start_node "$i"; done
  for i in $(seq 1 "$n"); do
    wait_for "node$i answering" answers "$i" || { tail -n 15 "$(node_dir "$i")/dockerd.log" >&2; exit 1; }
  done
  local manager
  manager="$(node_addr 1)"
  on_node 1 swarm init --advertise-addr "$manager" --listen-addr "$manager:2377" --dispatcher-heartbeat 1s >/dev/null
  local token
  token="$(on_node 1 swarm join-token -q worker)"
  for i in $(seq 2 "$n"); do
    on_node "$i" swarm join --token "$token" --advertise-addr "$(node_addr "$i")" --listen-addr "$(node_addr "$i"):2377" "$manager:2377" >/dev/null
  done
  wait_for "$n nodes Ready in the swarm" all_ready "$n"
  echo "$n" >"$LAB_DIR/nodes"
  trap - EXIT INT TERM
  say "up: $n nodes in $(( ($(date +%s%N) - started) / 1000000 )) ms"
  show_nodes "$n"
  print_env
}

# ---------------------------------------------------------------------------------------------------------------
# Teardown: daemons by pid file, then by PID whatever else runs in a node's namespace or cgroups (the shims of a
# killed daemon, its containers), the cgroup folders, the namespaces, the state folder.

# The PIDs in node I's cgroup folders, in every hierarchy.
cgroup_pids() { find /sys/fs/cgroup -path "*/dlab-node$1/*" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -un; }

end_node_processes() {
  local i="$1" ns pids tries
  ns="$(node_ns "$i")"
  for tries in 1 2 3 4 5; do
    pids="$( { ip netns pids "$ns" 2>/dev/null; cgroup_pids "$i"; } | sort -un | paste -sd ' ')"
    [ -z "$pids" ] && return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
  done
  say "node$i: processes still there after SIGKILL: $pids"
}

remove_cgroups() {
  local i="$1" dir
  for dir in $(find /sys/fs/cgroup -maxdepth 2 -type d -name "dlab-node$i" 2>/dev/null); do
    find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || say "could not remove the cgroup folder $dir"
  done
}

down_quietly() {
  local nodes i pid tries
  nodes="$(lab_nodes)"
  # dockerd by its pid file first, all at once: TERM, then KILL after a bounded wait.
  for i in $nodes; do
    pid="$(daemon_pid "$i" || true)"
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for tries in $(seq 1 20); do
    local alive=0
    for i in $nodes; do daemon_pid "$i" >/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for i in $nodes; do
    end_node_processes "$i"
    remove_cgroups "$i"
    ip netns del "$(node_ns "$i")" 2>/dev/null || true
  done
  ip netns del "$SWITCH" 2>/dev/null || true
  ip link del "$ROOT_LINK" 2>/dev/null || true
  if [ -d "$LAB_DIR" ]; then
    if [ -f "$LAB_DIR/$MARKER" ]; then
      rm -rf "$LAB_DIR"
    else
      say "left $LAB_DIR alone: it is not a lab's folder (no $MARKER in it)"
    fi
  fi
}

down() {
  local started nodes
  started="$(date +%s%N)"
  nodes="$(lab_nodes | wc -l)"
  down_quietly
  say "down: $nodes nodes in $(( ($(date +%s%N) - started) / 1000000 )) ms"
}

kill_node() {
  local i="${1:-}" pid
  [[ "$i" =~ $digit ]] && [ -d "$(node_dir "$i")" ] || die "kill $i: give the number of a node of the lab (1 to $(cat "$LAB_DIR/nodes" 2>/dev/null || echo 0))"
  pid="$(daemon_pid "$i")" || die "node$i: its dockerd is not running"
  kill -KILL "$pid"
  say "node$i: dockerd (pid $pid) killed; its containers run on until npm run lab -- up or down"
}

status() {
  local i
  [ -f "$LAB_DIR/nodes" ] || { say "no lab is up ($LAB_DIR)"; return 0; }
  for i in $(seq 1 "$(cat "$LAB_DIR/nodes")"); do
    if answers "$i"; then echo "node$i $(node_addr "$i") up"; else echo "node$i $(node_addr "$i") down"; fi
  done
}

case "$ACTION" in
  up) up "${2:-3}" ;;
  down) down ;;
  kill) kill_node "${2:-}" ;;
  status) status ;;
  preflight) preflight; [ -f "$LAB_DIR/nodes" ] || refuse_routed_range; say "this machine can run the lab" ;;
  *) die "usage: npm run lab -- up [N] | down | kill I | status | preflight" ;;
esac
