#!/usr/bin/env bash
# Builds the voting app's images from Debian packages only, so the stacks and the deploy tier run on an engine
# that cannot pull from any image registry.
#
#   npm run images:local                  # build what changed, reuse the rest
#   npm run images:local -- vote db       # only these roles
#   FORCE=1 npm run images:local          # rebuild the images even when their inputs did not change
#   REFRESH_BASE=1 ...                    # also re-run debootstrap (picks up Debian point/security updates)
#   bash ops/images/build-local-images.sh --list   # the images it builds, one a line (nothing is built)
#
# How: `debootstrap --variant=minbase bookworm` runs once into a cached base tarball. Each role (images/<role>/)
# unpacks that base, installs the Debian packages its image.conf lists, drops its rootfs/ overlay on top, and is
# imported with `docker import` as voting-app-local/<role>:local. The image carries a label with a hash of its
# inputs (this script, the role's folder, the Debian suite); when the tagged image already has that hash it is
# reused without touching debootstrap or apt. Cache: .cache/images/ (ignored by git; LOCAL_IMAGES_CACHE moves it).
#
# Needs root (debootstrap, chroot), a running Docker engine, and an apt mirror. The mirror is taken from this
# host's apt sources when they point at Debian, else DEBIAN_MIRROR, else debootstrap's default.
set -euo pipefail
# The image must be the same whatever the caller's umask: directories the build makes (mkdir in image.conf, the
# chroot's own) take their modes from it, and an image whose /run/secrets is drwx------ hides the password the
# stack uploads there from its unprivileged user.
umask 022

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRIPT="$ROOT/ops/images/build-local-images.sh"
IMAGES="$ROOT/images"
CACHE="${LOCAL_IMAGES_CACHE:-$ROOT/.cache/images}"
SUITE=bookworm
REPOSITORY=voting-app-local
TAG=local
HASH_LABEL=voting-app-local.inputs-hash
ALL_ROLES=(redis db vote worker result toolbox)

if [ "${1:-}" = --list ]; then
  printf "$REPOSITORY/%s:$TAG\n" "${ALL_ROLES[@]}"
  exit 0
fi

say() { echo "images: $*" >&2; }
die() { say "error: $*"; exit 1; }
seconds_since() { echo $(($(date +%s) - $1)); }

# ---------------------------------------------------------------------------------------------------------------
# Preconditions

[ "$(id -u)" = 0 ] || die "run as root (debootstrap and chroot need it)"
docker info >/dev/null 2>&1 || die "no Docker engine answers; start one first (npm run engine:start)"

ensure_host_tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v dpkg-deb >/dev/null || missing+=(dpkg)
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
  [ ${#missing[@]} -eq 0 ] && return
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  say "installing ${missing[*]} on the host"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# First URI of the host's Debian apt sources whose suites match $1 (e.g. "bookworm" or "bookworm-security").
# Reads deb822 (*.sources) and one-line (sources.list) formats; prints nothing when there is none.
host_apt_uri() {
  local suite="$1" f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v want="$suite" '
      /^[[:space:]]*$/ { if (uri != "" && hit) { print uri; exit } uri = ""; hit = 0; next }
      /^URIs:/   { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == want) hit = 1 }
      END        { if (uri != "" && hit) print uri }' "$f" | head -n1
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v want="$suite" '$1 == "deb" && $0 !~ /\[/ && $3 == want { print $2; exit }' "$f"
  done
}

# ---------------------------------------------------------------------------------------------------------------
# Inputs hash: what decides whether an image must be rebuilt

# The folders an image is made of: its overlays (image.conf's `overlays`), then the role's own folder.
role_folders() {
  local role="$1" overlays=()
  # shellcheck source=/dev/null
  overlays=($(overlays=(); source "$IMAGES/$role/image.conf" >/dev/null; echo "${overlays[@]}"))
  echo "${overlays[@]}" "$role"
}

role_hash() {
  local role="$1" folder
  {
    echo "suite=$SUITE"
    sha256sum <"$SCRIPT"
    # Contents and the executable bit of every file the image is made of, in a stable order.
    for folder in $(role_folders "$role"); do
      echo "folder $folder"
      (cd "$IMAGES/$folder" && find . \( -type f -o -type l \) -print | LC_ALL=C sort | while IFS= read -r f; do
        if [ -L "$f" ]; then echo "link $f -> $(readlink "$f")"
        else echo "file $f $([ -x "$f" ] && echo x || echo -) $(sha256sum <"$f" | cut -d' ' -f1)"; fi
      done)
    done
  } | sha256sum | cut -c1-16
}

image_hash() {
  docker image inspect --format "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------------------------
# Work directories hold chroots with /proc mounted: unmount before deleting, and never delete through a mount.

WORK="$CACHE/work"
cleanup_root() {
  local dir="$1"
  [ -d "$dir" ] || return 0
  if mountpoint -q "$dir/proc"; then umount "$dir/proc" || umount -l "$dir/proc"; fi
  if grep -q " $dir/" /proc/mounts; then die "$dir still has mounts; not deleting it"; fi
  rm -rf --one-file-system "$dir"
}
on_exit() {
  local d
  for d in "$WORK"/*; do [ -e "$d" ] && cleanup_root "$d"; done
  return 0
}
trap on_exit EXIT

in_root() { local dir="$1"; shift; chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 HOME=/root "$@"; }

# ---------------------------------------------------------------------------------------------------------------
# Base: debootstrap once, with the updates and security suites enabled and applied, apt configured to install no
# recommends and no docs, and service starts disabled. Kept with apt's package lists so roles install offline
# from the cache when they can.

build_base() {
  local dir="$1" mirror security
  mirror="${DEBIAN_MIRROR:-$(host_apt_uri "$SUITE")}"
  security="${DEBIAN_SECURITY_MIRROR:-$(host_apt_uri "$SUITE-security")}"
  say "debootstrap --variant=minbase $SUITE ${mirror:-(the default mirror of debootstrap)}"
  debootstrap --variant=minbase "$SUITE" "$dir" ${mirror:+"$mirror"} >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
  mirror="$(awk '$1 == "deb" { print $2; exit }' "$dir/etc/apt/sources.list")"
  {
    echo "deb $mirror $SUITE main"
    echo "deb $mirror $SUITE-updates main"
    [ -n "$security" ] && echo "deb $security $SUITE-security main"
  } >"$dir/etc/apt/sources.list"
  cat >"$dir/etc/apt/apt.conf.d/90local-images" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
  cat >"$dir/etc/dpkg/dpkg.cfg.d/90local-images" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/lintian/*
EOF
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod 755 "$dir/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  mount -t proc proc "$dir/proc"
  in_root "$dir" apt-get update -qq
  in_root "$dir" apt-get -y -qq -o Dpkg::Use-Pty=0 upgrade >/dev/null 2>&1
  in_root "$dir" apt-get clean
  rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/*
  umount "$dir/proc"
}

BASE_TAR=""
ensure_base() {
  [ -n "$BASE_TAR" ] && return
  local key; key="$(declare -f build_base | sha256sum | cut -c1-12)"
  BASE_TAR="$CACHE/base-$SUITE-minbase-$key.tar"
  if [ -f "$BASE_TAR" ] && [ -z "${REFRESH_BASE:-}" ]; then
    say "base: reusing $(basename "$BASE_TAR")"
    return
  fi
  local started dir="$WORK/base"; started="$(date +%s)"
  cleanup_root "$dir"; mkdir -p "$dir"
  build_base "$dir"
  tar -C "$dir" --numeric-owner -cf "$BASE_TAR.tmp" .
  mv "$BASE_TAR.tmp" "$BASE_TAR"
  cleanup_root "$dir"
  find "$CACHE" -maxdepth 1 -name "base-$SUITE-minbase-*.tar" ! -path "$BASE_TAR" -delete
  say "base: built $(basename "$BASE_TAR") ($(du -h "$BASE_TAR" | cut -f1)) in $(seconds_since "$started")s"
}

# ---------------------------------------------------------------------------------------------------------------
# One role. images/<role>/image.conf (bash) sets:
#   packages=(...)      Debian packages to install (no recommends)
#   changes=(...)       `docker import --change` lines: CMD, ENTRYPOINT, ENV, EXPOSE, USER, WORKDIR
#   pre_install=...     optional shell run in the chroot before `apt-get install packages`
#   post_install=...    optional shell run in the chroot after it
#   from=empty          optional: unpack the packages' files into an empty root instead of installing them into
#                       the base, then call the conf's finish_root function with that root (static busybox)
#   overlays=(...)      optional: folders under images/ whose rootfs/ goes in first (code shared by roles)
#   secrets_dir=...     optional: where the stacks upload files for the image's user to read (/run/secrets);
#                       the build proves that this user can read a file copied there, as the provider copies it
# and images/<role>/rootfs/ is copied over the result.

DEBS="$CACHE/debs"

install_packages() {
  local dir="$1"; shift
  if ! in_root "$dir" apt-get install -y -qq -o Dpkg::Use-Pty=0 "$@" >"$dir.apt.log" 2>&1; then
    say "  apt-get install failed, maybe the base's package lists are stale; running apt-get update"
    in_root "$dir" apt-get update -qq
    in_root "$dir" apt-get install -y -qq -o Dpkg::Use-Pty=0 "$@" >"$dir.apt.log" 2>&1 \
      || { tail -n 30 "$dir.apt.log" >&2; die "apt-get install $* failed"; }
  fi
}

slim_root() {
  local dir="$1"
  in_root "$dir" apt-get clean
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/debconf/*-old "$dir"/var/lib/dpkg/*-old \
    "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* \
    "$dir"/var/log/* "$dir"/tmp/* "$dir"/root/.cache "$dir"/usr/sbin/policy-rc.d
  : >"$dir/etc/resolv.conf"
}

# Copies a file into secrets_dir of a container of the image, as kreuzwerker/docker's `upload` does (a tar of one
# file, mode 0644, owner root, parent folders left as the image has them), and reads it back as the image's user.
check_secrets_readable() {
  local ref="$1" dir="$2" probe container output
  probe="$(mktemp -d)"
  printf 'readable\n' >"$probe/build-check"
  container="$(docker create --network none --entrypoint /bin/cat "$ref" "$dir/build-check")"
  tar -C "$probe" --mode=0644 --owner=0 --group=0 -c build-check | docker cp - "$container:$dir" >/dev/null
  output="$(docker start -a "$container" 2>&1)" || true
  docker rm -f "$container" >/dev/null
  rm -rf "$probe"
  [ "$output" = readable ] && return 0
  say "$ref: its user $(docker image inspect --format '{{or .Config.User "root"}}' "$ref") cannot read a file copied into $dir: $output"
  return 1
}

build_role() {
  local role="$1" hash="$2" ref="$3"
  local packages=() changes=() overlays=() from=base pre_install="" post_install="" secrets_dir=""
  # shellcheck source=/dev/null
  source "$IMAGES/$role/image.conf"
  local started dir="$WORK/$role" archives; started="$(date +%s)"
  ensure_base
  cleanup_root "$dir"; mkdir -p "$dir"
  tar -C "$dir" -xf "$BASE_TAR"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  mount -t proc proc "$dir/proc"
  # Offer apt the .debs earlier builds downloaded (hard links, same file system); keep what this one downloads.
  archives="$dir/var/cache/apt/archives"
  find "$DEBS" -name '*.deb' -exec ln -f {} "$archives/" \;

  local root="$dir"
  if [ "$from" = empty ]; then
    in_root "$dir" sh -c "cd /var/cache/apt/archives && apt-get download -qq -o APT::Sandbox::User=root $(printf '%q ' "${packages[@]}")"
    find "$archives" -maxdepth 1 -name '*.deb' -exec ln -f {} "$DEBS/" \;
    root="$dir.empty"; rm -rf --one-file-system "$root"; mkdir -p "$root"
    local p
    for p in "${packages[@]}"; do dpkg-deb -x "$(find "$archives" -name "${p}_*.deb" | head -n1)" "$root"; done
    finish_root "$root"
  else
    if [ -n "$pre_install" ]; then in_root "$dir" sh -ec "$pre_install" >"$dir.apt.log" 2>&1 \
      || { tail -n 30 "$dir.apt.log" >&2; die "pre_install of $role failed"; }; fi
    install_packages "$dir" "${packages[@]}"
    find "$archives" -maxdepth 1 -name '*.deb' -exec ln -f {} "$DEBS/" \;
    if [ -n "$post_install" ]; then in_root "$dir" sh -ec "$post_install" >"$dir.apt.log" 2>&1 \
      || { tail -n 30 "$dir.apt.log" >&2; die "post_install of $role failed"; }; fi
    slim_root "$dir"
  fi
  umount "$dir/proc"
  local folder
  for folder in $(role_folders "$role"); do
    # Modes as in a checkout made with umask 022 whatever the checkout's were (git writes files with its umask):
    # readable by all, writable by root, executable where the file is. The inputs hash records the executable bit.
    if [ -d "$IMAGES/$folder/rootfs" ]; then
      tar -C "$IMAGES/$folder/rootfs" --owner=0 --group=0 --mode='a+rX,u+w,go-w' -c . | tar -C "$root" -x
    fi
  done

  local import_args=() c old
  for c in "${changes[@]}"; do import_args+=(--change "$c"); done
  import_args+=(--change "LABEL $HASH_LABEL=$hash" --change "LABEL voting-app-local.role=$role")
  old="$(docker image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)"
  tar -C "$root" --numeric-owner --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -c . \
    | docker import "${import_args[@]}" --message "voting-app-local $role from Debian $SUITE packages" - "$ref" >/dev/null
  if [ -n "$secrets_dir" ] && ! check_secrets_readable "$ref" "$secrets_dir"; then
    docker rmi "$ref" >/dev/null
    die "$ref is broken (removed, so that no run reuses it); see the mode of $secrets_dir in images/$role"
  fi
  # The image the tag pointed at before is now dangling; drop it unless a container still uses it.
  if [ -n "$old" ] && [ "$old" != "$(docker image inspect --format '{{.Id}}' "$ref")" ]; then
    docker rmi "$old" >/dev/null 2>&1 || true
  fi
  if [ "$root" != "$dir" ]; then rm -rf --one-file-system "$root"; fi
  cleanup_root "$dir"; rm -f "$dir.apt.log"
  say "$ref: built in $(seconds_since "$started")s ($(docker image inspect --format '{{.Size}}' "$ref" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

# ---------------------------------------------------------------------------------------------------------------

main() {
  local roles=("$@") role started; started="$(date +%s)"
  [ ${#roles[@]} -eq 0 ] && roles=("${ALL_ROLES[@]}")
  for role in "${roles[@]}"; do
    [ -f "$IMAGES/$role/image.conf" ] || die "unknown role '$role' (known: ${ALL_ROLES[*]})"
  done
  mkdir -p "$CACHE" "$WORK" "$DEBS"
  # One build at a time per cache: they share the work directories.
  exec 9>"$CACHE/.lock"
  flock -w 900 9 || die "another build holds $CACHE/.lock"
  # Keep the cache out of git without touching the repository's .gitignore.
  [ -f "$CACHE/.gitignore" ] || echo '*' >"$CACHE/.gitignore"

  local built=0 reused=0 hash ref
  for role in "${roles[@]}"; do
    ref="$REPOSITORY/$role:$TAG"
    hash="$(role_hash "$role")"
    if [ -z "${FORCE:-}" ] && [ "$(image_hash "$ref")" = "$hash" ]; then
      say "$ref: reusing (inputs $hash unchanged)"
      reused=$((reused + 1))
      continue
    fi
    [ "$built" = 0 ] && ensure_host_tools
    say "$ref: building (inputs $hash)"
    build_role "$role" "$hash" "$ref"
    built=$((built + 1))
  done
  say "done in $(seconds_since "$started")s: $built built, $reused reused"
  docker image ls "$REPOSITORY/*" --format '  {{.Repository}}:{{.Tag}}  {{.Size}}' >&2
}

main "$@"
