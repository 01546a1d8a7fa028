#!/usr/bin/env bash
# A lab node's dockerd, run by ops/lab/lab.sh inside the node's namespaces:
#   ip netns exec dlab-nodeI unshare --mount --uts --propagation private bash node-daemon.sh HOSTNAME CGROUPS ARGS...
# `ip netns exec` mounts a sysfs of the node's network namespace on /sys, which hides the cgroup hierarchies that
# were mounted under /sys/fs/cgroup (dockerd then fails with "Devices cgroup isn't mounted"): they are mounted
# again here, in this mount namespace only. CGROUPS is `TYPE OPTIONS PATH` of each, separated by `;`, as the root
# namespace has them. Then dockerd replaces this shell, with ARGS.
set -euo pipefail
hostname "$1"
cgroups="$2"
shift 2
mount -t tmpfs -o mode=755 cgroup_root /sys/fs/cgroup
IFS=';' read -ra lines <<<"$cgroups"
for line in "${lines[@]}"; do
  read -r type options path <<<"$line"
  [ "$path" = /sys/fs/cgroup ] || mkdir -p "$path"
  mount -t "$type" -o "$options" "$type" "$path"
done
exec dockerd "$@"
