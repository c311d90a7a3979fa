#!/usr/bin/env bash
# Builds the gateway's image from the Dockerfile and checks it for real: it runs as a non-root
# user, /health answers 200, the JVM uses the AOT cache made at build time, SIGTERM drains an
# open stream and the container exits with 0; and it prints the start times measured in it.
#
#   deploy/test-image.sh             # exit 0: passed; 1: a check failed; 2: no engine could start
#
# With no Docker engine answering, it starts dockerd of its own (private socket, no bridge, no
# iptables rules) and stops it at the end. Every container runs with --network host, so all
# traffic stays on 127.0.0.1. The base images come from deploy/base-images.sh (made once per
# machine and kept by tag) unless BUILD_IMAGE and RUNTIME_IMAGE name others.
# Environment: SKIP_BUILD=1 uses the jar already in target/; PORT (25080; PORT+1 and PORT+2 are
# the build's training run); RUNS (3 timed starts); DOCKER_DATA (/var/lib/sse-gateway-docker:
# images and build cache of the private engine, kept so that a second run builds from cache).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-25080}
RUNS=${RUNS:-3}
DOCKER_DATA=${DOCKER_DATA:-/var/lib/sse-gateway-docker}
TAG=sse-gateway:test
NAME=sse-gateway-test-$$
state=$(mktemp -d /tmp/sse-gateway-test-image.XXXXXX)
dockerd_pid=""

log() { echo "test-image: $*"; }
fail() { echo "test-image: FAIL $*" >&2; exit 1; }

cleanup() {
  docker rm -f "$NAME" > /dev/null 2>&1 || true
  if [[ -n "$dockerd_pid" ]]; then
    kill -TERM "$dockerd_pid" 2> /dev/null || true
    for _ in $(seq 1 100); do kill -0 "$dockerd_pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$dockerd_pid" 2> /dev/null || true
  fi
  rm -rf "$state"
}
trap cleanup EXIT

# --- an engine: the one the client reaches, else a private one
if ! docker info > /dev/null 2>&1; then
  if ! command -v dockerd > /dev/null 2>&1; then
    echo "test-image: cannot run: no Docker engine answers and dockerd is not installed (apt-get install docker.io)" >&2
    exit 2
  fi
  export DOCKER_HOST=unix://$state/docker.sock
  dockerd --host "$DOCKER_HOST" --data-root "$DOCKER_DATA" --exec-root /run/sse-gateway-docker --pidfile "$state/dockerd.pid" \
    --bridge none --iptables=false --ip6tables=false > "$state/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 150); do docker info > /dev/null 2>&1 && break; kill -0 "$dockerd_pid" 2> /dev/null || break; sleep 0.2; done
  if ! docker info > /dev/null 2>&1; then
    echo "test-image: cannot run: dockerd did not start; its log:" >&2
    tail -5 "$state/dockerd.log" >&2
    exit 2
  fi
  log "started a private dockerd ($(docker version -f '{{.Server.Version}}'))"
fi

# --- base images and the build
if [[ -z "${BUILD_IMAGE:-}" && -z "${RUNTIME_IMAGE:-}" ]]; then
  if [[ ! -x "${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jlink" ]]; then
    echo "test-image: cannot run: no JDK 25 to make the base images from (set JDK25, or BUILD_IMAGE and RUNTIME_IMAGE)" >&2
    exit 2
  fi
  deploy/base-images.sh
  BUILD_IMAGE=sse-gateway-base/jdk:25
  RUNTIME_IMAGE=sse-gateway-base/jre:25
fi
# The jar is built here, where Maven Central is configured, and taken from target/ by the
# image build (JAR_FROM=target): the build then needs no network and no Maven cache of its own.
if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -q -B package -DskipTests
fi
log "building $TAG from $BUILD_IMAGE and $RUNTIME_IMAGE"
build_start=$(date +%s)
# The classic builder: it is in every engine and client, where BuildKit needs a client plugin.
DOCKER_BUILDKIT=0 docker build -q --network host -t "$TAG" \
  --build-arg BUILD_IMAGE="$BUILD_IMAGE" --build-arg RUNTIME_IMAGE="$RUNTIME_IMAGE" --build-arg JAR_FROM=target \
  --build-arg TRAINING_PORT=$((PORT + 1)) --build-arg TRAINING_CONTROL_PORT=$((PORT + 2)) \
  . > "$state/build.log" 2>&1 || { tail -30 "$state/build.log" >&2; fail "docker build"; }
log "built in $(( $(date +%s) - build_start )) s"

# --- the checks, on one container
user=$(docker image inspect -f '{{.Config.User}}' "$TAG")
[[ -n "$user" && "${user%%:*}" != 0 && "${user%%:*}" != root ]] || fail "the image runs as '${user:-root}'"

url=http://127.0.0.1:$PORT
run() {
  docker run -d --name "$NAME" --network host \
    -e MICRONAUT_SERVER_PORT="$PORT" -e SSE_CONTROL_PORT=0 -e SSE_DRAIN_PERIOD="$1" \
    -e JWT_SECRET=test-image-secret-test-image-secret-test-image \
    -e JDK_JAVA_OPTIONS="-Xlog:aot=info:stdout" "$TAG" > /dev/null
}

# Prints the milliseconds from $1 (ns) until the first byte of an SSE stream (bounded: 60 s).
# The clock is read when the byte arrives, not when curl ends (it only notices at its next write).
first_byte_ms() {
  local start=$1 end deadline=$(( $(date +%s) + 60 ))
  while (( $(date +%s) < deadline )); do
    end=$(curl -sN --max-time 2 "$url/subscribe/x" 2> /dev/null | { [[ -n "$(head -c 1)" ]] && date +%s%N; } || true)
    if [[ -n "$end" ]]; then
      echo $(( (end - start) / 1000000 ))
      return 0
    fi
    sleep 0.05
  done
  return 1
}

run 3s
ms=$(first_byte_ms "$(date +%s%N)") || { docker logs "$NAME" 2>&1 | tail -20 >&2; fail "no SSE stream within 60 s"; }
pid=$(docker inspect -f '{{.State.Pid}}' "$NAME")
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[[ "$uid" != 0 ]] || fail "the JVM runs as root"
log "ok: the JVM runs as uid $uid (image user $user)"

status=$(curl -s -o /dev/null -w '%{http_code}' "$url/health")
[[ "$status" == 200 ]] || fail "/health answered $status"
log "ok: /health 200"

# The log is read once into a variable: with pipefail, `docker logs | grep -q` fails when grep
# stops at an early match and docker logs, still writing, dies of SIGPIPE.
logs=$(docker logs "$NAME" 2>&1)
grep -q 'Opened AOT cache /app/sse-gateway.aot' <<< "$logs" || fail "the AOT cache was not opened"
grep -q 'Using AOT-linked classes: true' <<< "$logs" || fail "the AOT cache's linked classes were not used"
if grep -Eiq 'error.*aot|unable to use|AOT cache.*(disabled|mismatch)' <<< "$logs"; then
  grep -Ei 'error.*aot|unable to use|mismatch' <<< "$logs" >&2
  fail "the JVM refused part of the AOT cache"
fi
log "ok: the AOT cache is used ($(grep -m1 'Using AOT-linked classes' <<< "$logs"))"

# SIGTERM with a stream open: the stream must end (the drain closes it) and the JVM exit 0.
curl -sN --max-time 30 "$url/subscribe/drain" > "$state/stream.txt" 2>&1 &
stream=$!
for _ in $(seq 1 100); do grep -q '^retry:' "$state/stream.txt" && break; sleep 0.1; done
docker kill --signal TERM "$NAME" > /dev/null
code=$(timeout 30 docker wait "$NAME") || fail "the container did not exit within 30 s of SIGTERM"
wait "$stream" || true
[[ "$code" == 0 ]] || { docker logs "$NAME" 2>&1 | tail -20 >&2; fail "exit status $code after SIGTERM"; }
grep -q 'drain' <<< "$(docker logs "$NAME" 2>&1)" || fail "no drain in the log after SIGTERM"
log "ok: SIGTERM drained the open stream and the container exited with 0"
docker rm "$NAME" > /dev/null

# --- start times: from `docker run` to the first SSE byte, and the JVM's own uptime then
times=()
for ((i = 1; i <= RUNS; i++)); do
  start=$(date +%s%N)
  run 0s
  ms=$(first_byte_ms "$start") || fail "run $i: no SSE stream"
  started=$(docker logs "$NAME" 2>&1 | grep -o 'since-process-start-ms=[0-9]*' | head -1 || true)
  rss=$(awk '/^VmRSS:/ {print int($2 / 1024)}' "/proc/$(docker inspect -f '{{.State.Pid}}' "$NAME")/status")
  times+=("$ms")
  log "run $i: first SSE byte ${ms} ms after docker run (${started:-no startup line}, RSS ${rss} MB after it)"
  docker rm -f "$NAME" > /dev/null
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
log "first SSE byte in the container: min ${sorted[0]} / median ${sorted[$((n / 2))]} / max ${sorted[$((n - 1))]} ms ($n runs, load $(cut -d' ' -f1-3 /proc/loadavg))"
log "passed"
