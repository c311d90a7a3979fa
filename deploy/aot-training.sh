#!/usr/bin/env bash
# A training run for the JVM's start-up caches: starts the gateway with the command given,
# waits until it is ready, opens one SSE stream, publishes one event on the control port, reads
# it on the stream, then stops the gateway with SIGTERM and waits for it to exit with 0. What
# the JVM loaded and linked on the way is what a cache made from this run holds:
#
#   deploy/aot-training.sh java -XX:AOTCacheOutput=app.aot -jar sse-gateway.jar      # Java 25
#
# Needs bash alone (its /dev/tcp), so that it runs in a JRE image without curl.
# Environment: TRAINING_PORT (8080) and TRAINING_CONTROL_PORT (7070), the ports it uses on
# 127.0.0.1; TRAINING_TIMEOUT (120 s), how long the gateway may take to become ready.
set -euo pipefail

port=${TRAINING_PORT:-8080}
control=${TRAINING_CONTROL_PORT:-7070}
timeout=${TRAINING_TIMEOUT:-120}

# The production path: a configured secret (no development token), no drain wait at the end.
# The secret is a placeholder that exists only for this run; the cache holds classes, not config.
export MICRONAUT_SERVER_PORT=$port SSE_CONTROL_PORT=$control SSE_CONTROL_BIND=127.0.0.1 SSE_DRAIN_PERIOD=0s
export JWT_SECRET=training-run-only-training-run-only-training-run-only

fail() { echo "aot-training: $1" >&2; kill -KILL "$pid" 2>/dev/null || true; exit 1; }

"$@" &
pid=$!

ready=false
for ((i = 0; i < timeout * 5; i++)); do
  kill -0 "$pid" 2>/dev/null || fail "the gateway exited before it was ready"
  if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    printf 'GET /health/readiness HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
    status=$(head -c 12 <&3 || true)
    exec 3>&-
    if [[ "$status" == "HTTP/1.1 200" ]]; then ready=true; break; fi
  fi
  sleep 0.2
done
[[ "$ready" == true ]] || fail "not ready on port $port after ${timeout}s"

# One stream, read line by line until the published event arrives (bounded by read -t).
exec 4<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /subscribe/training HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n' >&4
until IFS= read -r -t 10 line <&4 && [[ "$line" == retry:* ]]; do
  [[ -n "${line+x}" ]] || fail "the stream did not start"
done

exec 5<>"/dev/tcp/127.0.0.1/$control"
printf '/training warm = up\n' >&5
IFS= read -r -t 10 reply <&5 || fail "no reply from the control port"
[[ "$reply" == OK* ]] || fail "publish refused: $reply"
exec 5>&-

got=false
while IFS= read -r -t 10 line <&4; do
  if [[ "$line" == "data: up"* ]]; then got=true; break; fi
done
[[ "$got" == true ]] || fail "the published event did not arrive on the stream"
exec 4>&-

kill -TERM "$pid"
wait "$pid" || fail "the gateway exited with $? after SIGTERM"
echo "aot-training: done (one stream, one publish, SIGTERM)"
