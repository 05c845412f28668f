#!/usr/bin/env bash
# Starts (or stops) the local Docker and Podman engines the integration and e2e tests use.
# Usage: scripts/engines.sh start|stop|status
# State (pids, logs, podman conf) lives in $JOBDECK_ENGINE_DIR (default /tmp/jobdeck-engines).
set -euo pipefail
dir=${JOBDECK_ENGINE_DIR:-/tmp/jobdeck-engines}
mkdir -p "$dir"
docker_sock=/var/run/docker.sock
podman_sock=/run/podman/podman.sock

wait_for() { # $1 = description, rest = command that must succeed
  local what=$1; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.3; done
  echo "engines: $what did not come up; see $dir/*.log" >&2
  return 1
}

start() {
  # The daemons' working directory: conmon drops an `oom` file there when a container is OOM-killed.
  cd "$dir"
  if ! curl -sf --unix-socket "$docker_sock" http://d/_ping >/dev/null 2>&1; then
    # No bridge and no iptables: the sandboxes we run on have neither; jobs use network none/host.
    nohup dockerd --iptables=false --ip6tables=false --bridge=none --host "unix://$docker_sock" \
      >"$dir/dockerd.log" 2>&1 &
    echo $! >"$dir/dockerd.pid"
    wait_for "dockerd" curl -sf --unix-socket "$docker_sock" http://d/_ping
  fi
  cat >"$dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
CONF
  if ! curl -sf --unix-socket "$podman_sock" http://d/libpod/_ping >/dev/null 2>&1; then
    mkdir -p "$(dirname "$podman_sock")"
    CONTAINERS_CONF="$dir/containers.conf" nohup podman system service --time=0 "unix://$podman_sock" \
      >"$dir/podman.log" 2>&1 &
    echo $! >"$dir/podman.pid"
    wait_for "podman API socket" curl -sf --unix-socket "$podman_sock" http://d/libpod/_ping
  fi
  echo "engines: docker at $docker_sock, podman at $podman_sock"
}

stop() {
  for name in podman dockerd; do
    if [[ -f "$dir/$name.pid" ]]; then
      kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status)
    up=0
    curl -sf --unix-socket "$docker_sock" http://d/_ping >/dev/null && echo "docker up" || { echo "docker down"; up=1; }
    curl -sf --unix-socket "$podman_sock" http://d/libpod/_ping >/dev/null && echo "podman up" || { echo "podman down"; up=1; }
    exit $up ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
