#!/usr/bin/env bash
# Redis CPU per publish: what one publish script call costs Redis, read from INFO commandstats
# (usec_per_call of evalsha), with the namespace's stream at its count bound. Redis runs every
# script on its one main thread, so this number divides one core among all instances: it is the
# ceiling of the whole cluster's publish rate.
#
#   bench/publish-cost.sh             fills /cost to the bound, then measures 3000 publishes
#
# It starts its own redis-server and one gateway (redis mode), publishes over the control port
# (the gateway's real publish path, pipelined), and stops both on exit. Prints one line:
#   scenario=cost label=publish-script evalsha_usec_per_call=… redis_main_cpu_usec_per_publish=…
#   [evalsha_instructions_per_call=…] calls=… max_length=… namespaces=…
#
# Environment:
#   COST_GW_PORT / COST_CONTROL_PORT / COST_REDIS_PORT   ports on 127.0.0.1 (defaults below)
#   COST_MAX_LENGTH   the count bound (default 1000, the product's default)
#   COST_PUBLISHES    publishes measured (default 3000)
#   COST_NAMESPACES   namespaces per event, 1 or more (default 1)
#   COST_REDIS_ARGS   extra redis-server options, e.g. "--stream-node-max-entries 10" to see what
#                     the walks over a stream node's deleted entries cost (docs/redis.md, Retention)
#   COST_INSTRUCTIONS=1  also count the instructions Redis executes per evalsha (callgrind;
#                     needs valgrind): a figure the load of other processes does not move
#   GW_JAR, GW_JAVA_OPTS, BENCH_OUT
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
GW_PORT=${COST_GW_PORT:-18083}
CONTROL_PORT=${COST_CONTROL_PORT:-18073}
REDIS_PORT=${COST_REDIS_PORT:-16391}
MAX_LENGTH=${COST_MAX_LENGTH:-1000}
PUBLISHES=${COST_PUBLISHES:-3000}
NAMESPACES=${COST_NAMESPACES:-1}
GW_JAR=${GW_JAR:-"$ROOT/target/sse-gateway-0.1.0-SNAPSHOT.jar"}
GW_JAVA_OPTS=${GW_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx256m -XX:MetaspaceSize=128m"}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/sse-cost.XXXXXX)}
mkdir -p "$OUT"
PIDS=()

trap stop_pids EXIT

rcli() { redis-cli -p "$REDIS_PORT" "$@"; }

# The target of every line: one namespace, or /cost/0 … /cost/N-1 published one after the other
# (the control port publishes one namespace per line, so the multi-namespace case is measured
# as N streams at their bound, each publish touching one).
target() { # i
    echo "/cost/$(( $1 % NAMESPACES ))"
}

# Sends $2 publish lines on one connection, pipelined, and waits for every answer.
publish_lines() { # from count
    local from=$1 count=$2 i ok=0 line
    exec 3<>"/dev/tcp/127.0.0.1/$CONTROL_PORT"
    {
        for (( i = from; i < from + count; i++ )); do
            printf '%s tick = %d\n' "$(target "$i")" "$i"
        done
    } >&3 &
    local writer=$!
    for (( i = 0; i < count; i++ )); do
        IFS= read -r -t 30 line <&3 || { log "no answer after $i of $count"; exit 1; }
        [[ $line == OK* ]] && ok=$((ok + 1))
    done
    wait "$writer"
    exec 3>&-
    if (( ok != count )); then
        log "only $ok of $count publishes were accepted"
        exit 1
    fi
}

# Instructions instead of time: on a shared machine both figures above move with the load of
# other processes (commandstats by several times), so a regression of the script hides in the
# noise; the instructions Redis executes for it do not move. Redis runs under callgrind, about
# 50 times slower, counting only while the measured publishes run.
VALGRIND=()
GW_ENV=()
if [[ "${COST_INSTRUCTIONS:-0}" == 1 ]]; then
    VALGRIND=(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/callgrind.out")
    # Slowed down, Redis answers a queue of pipelined publishes in seconds, not milliseconds.
    GW_ENV=(SSE_REDIS_COMMAND_TIMEOUT=300s SSE_REDIS_PROBE_TIMEOUT=300s)
fi
"${VALGRIND[@]}" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --maxmemory-policy noeviction ${COST_REDIS_ARGS:-} > "$OUT/redis-cost.log" 2>&1 &
REDIS_PID=$!
PIDS+=($REDIS_PID)
wait_port "$REDIS_PORT" 30

env "${GW_ENV[@]}" MICRONAUT_SERVER_PORT="$GW_PORT" SSE_CONTROL_PORT="$CONTROL_PORT" SSE_HISTORY_MAX_LENGTH="$MAX_LENGTH" \
    REDIS_URI="redis://127.0.0.1:$REDIS_PORT" JWT_SECRET=${JWT_SECRET:-benchmark-secret-0123456789abcdef01234567} \
    java $GW_JAVA_OPTS -jar "$GW_JAR" > "$OUT/gateway-cost.log" 2>&1 &
PIDS+=($!)
wait_port "$CONTROL_PORT" 60

log "filling $NAMESPACES namespace(s) to $MAX_LENGTH events each"
publish_lines 0 $(( MAX_LENGTH * NAMESPACES + 10 ))
for (( n = 0; n < NAMESPACES; n++ )); do
    len=$(rcli XLEN "sse:@history:/cost/$n")
    if (( len != MAX_LENGTH )); then
        log "stream /cost/$n holds $len entries, not $MAX_LENGTH"
        exit 1
    fi
done

# CPU seconds of Redis' main thread, where scripts run: unlike commandstats (wall-clock time
# inside each command) it does not count the time Redis was descheduled on a busy machine, and
# it includes reading the commands and writing the replies.
main_cpu() {
    rcli INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user)_main_thread:/ { s += $2 } END { printf "%.6f", s }'
}

rcli CONFIG RESETSTAT > /dev/null
cpu_before=$(main_cpu)
log "measuring $PUBLISHES publishes at the bound"
[[ ${#VALGRIND[@]} == 0 ]] || callgrind_control -i on "$REDIS_PID" > /dev/null
publish_lines $(( MAX_LENGTH * NAMESPACES + 10 )) "$PUBLISHES"
[[ ${#VALGRIND[@]} == 0 ]] || callgrind_control -i off "$REDIS_PID" > /dev/null
cpu_after=$(main_cpu)
# The gateway's other commands (probes, heartbeats) are not evalsha; only the publish and
# sweep scripts are, and the sweep runs every 10 s: its few calls barely move the mean.
stats=$(rcli INFO commandstats | tr -d '\r' | sed -n 's/^cmdstat_evalsha://p')
calls=$(sed -n 's/^calls=\([0-9]*\).*/\1/p' <<< "$stats")
per_call=$(sed -n 's/.*usec_per_call=\([0-9.]*\).*/\1/p' <<< "$stats")
cpu_per_publish=$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$PUBLISHES" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }')
instructions=""
if [[ ${#VALGRIND[@]} != 0 ]]; then
    callgrind_control -d "$REDIS_PID" > /dev/null
    # Everything evalsha ran: the script, the commands it called, its reply.
    ir=$(callgrind_annotate --inclusive=yes "$OUT"/callgrind.out.* 2>/dev/null \
        | awk '/:evalShaCommand / { gsub(",", "", $1); s += $1 } END { printf "%d", s }')
    instructions=" evalsha_instructions_per_call=$(( ir / calls ))"
fi
echo "scenario=cost label=publish-script evalsha_usec_per_call=$per_call redis_main_cpu_usec_per_publish=$cpu_per_publish$instructions calls=$calls max_length=$MAX_LENGTH namespaces=$NAMESPACES"
