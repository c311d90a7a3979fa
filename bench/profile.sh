#!/usr/bin/env bash
# Profiles one gateway under one stream load of the load tool: starts the gateway as run.sh
# does, warms it up the same way, attaches async-profiler (CPU, 1 ms, per thread) for 8 s of
# the measured window, prints the load tool's result line and stops the gateway. The stacks
# are written in collapsed form (one line per stack, the thread first) to $BENCH_OUT/LABEL.collapsed
# (or LABEL.jfr, see PROFILE_FORMAT).
#
#   bench/profile.sh LABEL [load tool options...]
#   bench/profile.sh w4 --rate 0 --lanes 4 --window 1     # 4 publishers that wait for answers
#   PROFILE_STORM=1 bench/profile.sh e                    # the resume storm (e), as run.sh runs it
#
# Environment:
#   GW_JAR, GW_JAVA_OPTS   as for run.sh
#   BENCH_PORT_BASE        the gateway listens on BENCH_PORT_BASE + 31 (default 18111)
#   BENCH_OUT              directory for the stacks and the gateway's log (default: a new temp dir)
#   PROFILE_STORM=1        run scenario (e) (5,000 clients resume 1,000 events back) and profile
#                          the whole of it: from before the history is filled to the tool's exit
#   PROFILE_EVENT          async-profiler event (default cpu; wall shows where the loops wait)
#   PROFILE_FORMAT         collapsed (default) or jfr: timestamped samples, for `jfr print` to
#                          cut a part of the run out (the storm without the history fill before it)
#   ASYNC_PROFILER         libasyncProfiler.so to load; default: tools.profiler:async-profiler
#                          from Maven Central (mvn dependency:get), unpacked into BENCH_OUT
# Kernel frames need root or kernel.perf_event_paranoid <= 1.
set -euo pipefail
[[ $# -ge 1 ]] || { sed -n '2,15p' "$0"; exit 2; }
LABEL=$1
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
profile_defaults "$ROOT"
PORT=$((${BENCH_PORT_BASE:-18080} + 31))  # odd: see run.sh
AP=${ASYNC_PROFILER:-$(async_profiler "$OUT")}

MICRONAUT_SERVER_PORT=$PORT SSE_CONTROL_PORT=0 SSE_HISTORY_MAX_LENGTH=2000 \
    java $GW_JAVA_OPTS -jar "$GW_JAR" > "$OUT/gateway-$PORT.log" 2>&1 &
GW_PID=$!
trap 'kill $GW_PID 2>/dev/null || true' EXIT
wait_port "$PORT" 180
TOKEN=$(java -jar "$BENCH_JAR" --mode token)
SUB="http://127.0.0.1:$PORT/subscribe/$LABEL"
PUB="http://127.0.0.1:$PORT/publish/$LABEL?event=message"
# The same warm-up as run.sh gives every server.
timeout 60 java -jar "$BENCH_JAR" --label warmup --conns 200 --rate 0 --duration 5 --warmup 0 --drain 1 \
    --sub "http://127.0.0.1:$PORT/subscribe/warm" --pub-url "http://127.0.0.1:$PORT/publish/warm?event=message" \
    --token "$TOKEN" >/dev/null 2>&1 || true

EVENT=${PROFILE_EVENT:-cpu}
FORMAT=${PROFILE_FORMAT:-collapsed}
STACKS="$OUT/$LABEL.$FORMAT"
# JFR is written while the profiler runs, so its file is named at the start.
START="start,event=$EVENT,interval=1ms,threads"
STOP="stop,$FORMAT,file=$STACKS"
if [[ $FORMAT == jfr ]]; then
    START="$START,jfr,file=$STACKS"
    STOP=stop
fi
if [[ ${PROFILE_STORM:-0} == 1 ]]; then
    # The storm lasts as long as the gateway takes, so the profile covers all of it; the history
    # fill before it (1,001 publishes) is a small part of the samples.
    jcmd $GW_PID JVMTI.agent_load "$AP" "\"$START\"" >/dev/null
    timeout 120 java -XX:+UseParallelGC -Xmx1g -jar "$BENCH_JAR" --label "$LABEL" --mode storm --conns 5000 \
        --backlog 1000 --live-rate 50 --timeout 15 "$@" --sub "$SUB" --pub-url "$PUB" --token "$TOKEN" --ports "$PORT"
    jcmd $GW_PID JVMTI.agent_load "$AP" "\"$STOP\"" >/dev/null
    log "stacks in $STACKS"
    exit 0
fi
# 2 s of the tool's warm-up and 2 s into the window, then 8 s. The inner quotes keep jcmd from
# reading "event=..." as an option of its own.
(
    sleep 4
    jcmd $GW_PID JVMTI.agent_load "$AP" "\"$START\"" >/dev/null
    sleep 8
    jcmd $GW_PID JVMTI.agent_load "$AP" "\"$STOP\"" >/dev/null
) &
PROFILER=$!
timeout 120 java -XX:+UseParallelGC -Xmx1g -jar "$BENCH_JAR" --label "$LABEL" --conns 1000 --duration 10 \
    --warmup 2 --drain 5 "$@" --sub "$SUB" --pub-url "$PUB" --token "$TOKEN" --ports "$PORT"
wait $PROFILER || true
log "stacks in $STACKS"
