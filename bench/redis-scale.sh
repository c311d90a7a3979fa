#!/usr/bin/env bash
# How the cost of one Redis grows with the number of gateway instances on it: 1, 2, 4 and 8
# instances (or SCALE_STEPS) on one Redis of its own, the same publish rate at every step.
# Every instance pattern-subscribes, so each event leaves Redis once per instance: this shows
# what that costs Redis per published event, and what the instances spend.
#
#   bench/redis-scale.sh
#
# Each step adds instances to those already running, watches Redis with them idle for
# SCALE_IDLE seconds, then opens SCALE_SUBSCRIBERS streams on every instance (all on one
# namespace) and publishes at SCALE_RATE events/s over HTTP to the first instance (the load
# tool, bench/target/sse-bench.jar). One line per step:
#   scenario=scale instances=… published_per_s=… redis_cpu_usec_per_event=… redis_idle_cpu_pct=…
#   redis_cpu_usec_per_event_above_idle=… redis_cpu_pct=… evalsha_usec_per_call=…
#   instances_cpu_pct=… instances_cpu_usec_per_event=… deliveries_per_s=… streams_open=… missed=…
#   dup=…
# Redis CPU is that of the whole redis-server process (INFO cpu, user + system) from just before
# to just after the load tool's run, divided by the publishes Redis ran in that time (the calls
# of evalsha). It includes what the instances cost Redis with no event at all (probes, registry
# heartbeats); "above idle" takes out the idle rate measured just before. The
# instances' CPU is the load tool's figure (/proc of the processes listening on the instances'
# ports, over its measured window).
#
# Environment:
#   SCALE_STEPS        instance counts, ascending (default "1 2 4 8")
#   SCALE_RATE         events/s published (default 100)
#   SCALE_SUBSCRIBERS  streams per instance (default 10)
#   SCALE_DURATION     seconds measured per step, after 5 s of warm-up (default 10)
#   SCALE_IDLE         seconds Redis is watched with the instances idle before each step (default 5)
#   SCALE_PORT_BASE    first gateway port; the instances listen on the next free ports from
#                      there, Redis on base - 1 (default 18200)
#   SKIP_BUILD=1       use the jars already built
#   GW_JAR, GW_JAVA_OPTS, BENCH_OUT
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
STEPS=${SCALE_STEPS:-"1 2 4 8"}
RATE=${SCALE_RATE:-100}
SUBSCRIBERS=${SCALE_SUBSCRIBERS:-10}
DURATION=${SCALE_DURATION:-10}
IDLE=${SCALE_IDLE:-5}
BASE=${SCALE_PORT_BASE:-18200}
REDIS_PORT=$((BASE - 1))
GW_JAR=${GW_JAR:-"$ROOT/target/sse-gateway-0.1.0-SNAPSHOT.jar"}
BENCH_JAR="$ROOT/bench/target/sse-bench.jar"
# The options of bench/run.sh's gateways, with a smaller heap: eight of them share the machine.
GW_JAVA_OPTS=${GW_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx256m -Xss256k -XX:MetaspaceSize=128m"}
export JWT_SECRET=${JWT_SECRET:-benchmark-secret-0123456789abcdef01234567}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/sse-scale.XXXXXX)}
mkdir -p "$OUT"
PIDS=()

trap stop_pids EXIT
build_jars "$ROOT"


redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --maxmemory-policy noeviction > "$OUT/redis.log" 2>&1 &
PIDS+=($!)
wait_port "$REDIS_PORT" 10

# Ports of the running instances. A port of the range may be held by another process (the
# kernel hands out client ports from the same range, tests elsewhere take free ports, a closed
# connection keeps its port for a minute): a port in use is skipped, and an instance that still
# fails to bind is started again on the next port, rather than measuring whatever listens there.
INSTANCE_PORTS=()
next_port=$BASE
start_instance() {
    local attempt port pid deadline
    for attempt in 1 2 3 4 5; do
        while [[ -n $(ss -Htan "( sport = :$next_port or dport = :$next_port )") ]]; do
            next_port=$((next_port + 1))
        done
        port=$next_port
        next_port=$((next_port + 1))
        env MICRONAUT_SERVER_PORT="$port" SSE_CONTROL_PORT=0 REDIS_URI="redis://127.0.0.1:$REDIS_PORT" \
            java $GW_JAVA_OPTS -jar "$GW_JAR" > "$OUT/gateway-$port.log" 2>&1 &
        pid=$!
        PIDS+=($pid)
        deadline=$((SECONDS + 120))
        while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do
            if grep -qs 'event=listening' "$OUT/gateway-$port.log"; then
                INSTANCE_PORTS+=("$port")
                return 0
            fi
            sleep 0.2
        done
        log "the instance on port $port did not start (attempt $attempt); see $OUT/gateway-$port.log"
        kill "$pid" 2>/dev/null || true
    done
    return 1
}

TOKEN=$(java -jar "$BENCH_JAR" --mode token)
for n in $STEPS; do
    while (( ${#INSTANCE_PORTS[@]} < n )); do
        start_instance
    done
    subs=()
    for port in "${INSTANCE_PORTS[@]}"; do
        subs+=("http://127.0.0.1:$port/subscribe/scale")
    done
    sub_list=$(IFS=,; echo "${subs[*]}")
    port_list=$(IFS=,; echo "${INSTANCE_PORTS[*]}")
    first=${INSTANCE_PORTS[0]}
    # What the instances cost Redis with no event (probes, heartbeats), over a quiet while:
    # subtracted below, so that the cost per event is what publishing adds.
    i0=$(date +%s.%N); idle0=$(redis_cpu "$REDIS_PORT")
    sleep "$IDLE"
    i1=$(date +%s.%N); idle1=$(redis_cpu "$REDIS_PORT")
    log "$n instance(s): $RATE events/s, $((SUBSCRIBERS * n)) streams"
    t0=$(date +%s.%N); cpu0=$(redis_cpu "$REDIS_PORT"); calls0=$(evalsha_stat "$REDIS_PORT" calls); usec0=$(evalsha_stat "$REDIS_PORT" usec)
    line=$(java -XX:+UseParallelGC -Xmx1g -jar "$BENCH_JAR" --label "scale-$n" --conns $((SUBSCRIBERS * n)) \
        --rate "$RATE" --duration "$DURATION" --warmup 5 --drain 5 \
        --sub "$sub_list" --pub-url "http://127.0.0.1:$first/publish/scale?event=message" \
        --token "$TOKEN" --ports "$port_list")
    t1=$(date +%s.%N); cpu1=$(redis_cpu "$REDIS_PORT"); calls1=$(evalsha_stat "$REDIS_PORT" calls); usec1=$(evalsha_stat "$REDIS_PORT" usec)
    echo "$line" >> "$OUT/load.txt"
    field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $line"; }
    published=$(field published_per_s)
    instances_cpu=$(field server_cpu_pct)
    awk -v n="$n" -v a="$cpu0" -v b="$cpu1" -v c0="${calls0:-0}" -v c1="$calls1" -v u0="${usec0:-0}" -v u1="$usec1" \
        -v pub="$published" -v icpu="$instances_cpu" -v t0="$t0" -v t1="$t1" \
        -v i0="$i0" -v i1="$i1" -v idle0="$idle0" -v idle1="$idle1" \
        -v del="$(field deliveries_per_s)" -v conns="$(field conns)" -v missed="$(field missed)" -v dup="$(field dup)" 'BEGIN {
        calls = c1 - c0
        # The Redis figures cover the whole run of the load tool (its start, warm-up and drain
        # too): the percentage is of that wall time.
        idle = (idle1 - idle0) / (i1 - i0)
        printf "scenario=scale instances=%d published_per_s=%s redis_cpu_usec_per_event=%.1f redis_idle_cpu_pct=%.2f", \
            n, pub, (b - a) * 1e6 / calls, 100 * idle
        printf " redis_cpu_usec_per_event_above_idle=%.1f redis_cpu_pct=%.2f", \
            ((b - a) - idle * (t1 - t0)) * 1e6 / calls, 100 * (b - a) / (t1 - t0)
        printf " evalsha_usec_per_call=%.1f instances_cpu_pct=%s instances_cpu_usec_per_event=%.1f", \
            (u1 - u0) / calls, icpu, icpu * 1e4 / pub
        printf " deliveries_per_s=%s streams_open=%s missed=%s dup=%s\n", del, conns, missed, dup
    }'
done
