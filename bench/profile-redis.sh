#!/usr/bin/env bash
# Profiles the two-instance setup of scenario (a50): a private Redis, gateways A and B on it,
# 1,000 streams on B, 50 events/s published over HTTP to A (or to B: the instance that also
# fans out). Both gateways are warmed up as run.sh does; async-profiler is attached to both for
# 8 s of the measured window, and both log their collections (-Xlog:gc). Prints the load
# tool's result line and stops everything it started.
#
#   bench/profile-redis.sh a|b [load tool options...]     # a: publish to A, b: publish to B
#
# Writes to $BENCH_OUT: A.collapsed and B.collapsed (CPU, 1 ms, per thread, collapsed stacks),
# and with PROFILE_EVENT=wall or alloc A-EVENT.collapsed and B-EVENT.collapsed instead (wall
# clock: where the threads wait; alloc: what allocates), gc-A.log, gc-B.log and the gateways' logs.
#
# Environment:
#   GW_JAR, GW_JAVA_OPTS   as for run.sh
#   BENCH_PORT_BASE        A listens on BENCH_PORT_BASE + 41, B on + 43 (default 18080;
#                          odd ports, as in run.sh)
#   BENCH_REDIS_PORT       Redis port (default BENCH_PORT_BASE + 45)
#   BENCH_OUT              directory for the output (default: a new temp dir)
#   PROFILE_EVENT          cpu (default), wall or alloc
#   ASYNC_PROFILER         libasyncProfiler.so to load (default: tools.profiler:async-profiler
#                          from Maven Central, unpacked into BENCH_OUT)
set -euo pipefail
[[ $# -ge 1 && ( $1 == a || $1 == b ) ]] || { sed -n '2,22p' "$0"; exit 2; }
TARGET=$1
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
profile_defaults "$ROOT"
BASE=${BENCH_PORT_BASE:-18080}
PORT_A=$((BASE + 41)); PORT_B=$((BASE + 43)); REDIS_PORT=${BENCH_REDIS_PORT:-$((BASE + 45))}
EVENT=${PROFILE_EVENT:-cpu}
SUFFIX=$([[ $EVENT == cpu ]] && echo "" || echo "-$EVENT")
# alloc: a sample every 512 KiB allocated; cpu and wall: every 1 ms.
INTERVAL=$([[ $EVENT == alloc ]] && echo "alloc=512k" || echo "interval=1ms")
AP=${ASYNC_PROFILER:-$(async_profiler "$OUT")}

PIDS=()
trap stop_pids EXIT
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --maxmemory-policy noeviction > "$OUT/redis.log" 2>&1 &
PIDS+=($!)
wait_port "$REDIS_PORT" 10
start() { # name port
    MICRONAUT_SERVER_PORT=$2 SSE_CONTROL_PORT=0 SSE_HISTORY_MAX_LENGTH=2000 REDIS_URI="redis://127.0.0.1:$REDIS_PORT" \
        java $GW_JAVA_OPTS "-Xlog:gc:file=$OUT/gc-$1.log" -jar "$GW_JAR" > "$OUT/gateway-$1.log" 2>&1 &
    PIDS+=($!)
}
start A $PORT_A
PID_A=${PIDS[-1]}
start B $PORT_B
PID_B=${PIDS[-1]}
for pid_port in "$PID_A:$PORT_A" "$PID_B:$PORT_B"; do  # a gateway that failed to start ends the run
    until (exec 3<>"/dev/tcp/127.0.0.1/${pid_port#*:}") 2>/dev/null; do
        kill -0 "${pid_port%:*}" 2>/dev/null || { log "gateway on ${pid_port#*:} exited"; exit 1; }
        sleep 0.2
    done
done
TOKEN=$(java -jar "$BENCH_JAR" --mode token)
PUB_PORT=$([[ $TARGET == a ]] && echo $PORT_A || echo $PORT_B)
for pub in $PORT_A $PORT_B; do  # the same warm-up as run.sh gives (a50)
    timeout 60 java -jar "$BENCH_JAR" --label warmup --conns 200 --rate 0 --duration 5 --warmup 0 --drain 1 \
        --sub "http://127.0.0.1:$PORT_B/subscribe/warm" --pub-url "http://127.0.0.1:$pub/publish/warm?event=message" \
        --token "$TOKEN" >/dev/null 2>&1 || true
done

# 2 s of the tool's warm-up and 2 s into the window, then 8 s. The inner quotes keep jcmd from
# reading "event=..." as an option of its own.
(
    sleep 4
    for pid in $PID_A $PID_B; do
        jcmd "$pid" JVMTI.agent_load "$AP" "\"start,event=$EVENT,$INTERVAL,threads\"" >/dev/null
    done
    sleep 8
    jcmd "$PID_A" JVMTI.agent_load "$AP" "\"stop,collapsed,file=$OUT/A$SUFFIX.collapsed\"" >/dev/null
    jcmd "$PID_B" JVMTI.agent_load "$AP" "\"stop,collapsed,file=$OUT/B$SUFFIX.collapsed\"" >/dev/null
) &
PROFILER=$!
timeout 120 java -XX:+UseParallelGC -Xmx1g -jar "$BENCH_JAR" --label "a50-$TARGET" --conns 1000 --duration 10 \
    --warmup 2 --drain 5 --rate 50 --lanes 1 "$@" --sub "http://127.0.0.1:$PORT_B/subscribe/a50" \
    --pub-url "http://127.0.0.1:$PUB_PORT/publish/a50?event=message" --token "$TOKEN" \
    --ports "$PORT_A,$PORT_B,$REDIS_PORT"
wait $PROFILER || true
log "stacks in $OUT/A$SUFFIX.collapsed and $OUT/B$SUFFIX.collapsed, collections in $OUT/gc-*.log"
