#!/usr/bin/env bash
# What a second Redis shard adds when Redis is the bottleneck: the same cluster of instances on
# one shard and on two (SSE_REDIS_SHARDS), each redis-server held to SHARDS_QUOTA_US of CPU
# time per SHARDS_PERIOD_US by a cgroup CPU quota, publishing as fast as they are answered; the
# events published and delivered are compared.
#
#   bench/redis-shards.sh
#
# Why a quota: two Redis on a 2-core machine shared with the instances and the load tools
# cannot each own a core, so one Redis would never be the bottleneck here. A quota makes each
# shard saturate at a low absolute rate, and gives every shard the same budget, which is what
# adding a Redis server adds. (Pinning Redis with taskset next to a CPU hog would measure the
# scheduler, not Redis.) Needs a writable cgroup cpu controller: cgroup v2 (cpu.max) or v1
# (cpu.cfs_quota_us), normally as root.
#
# Each step (SHARDS_STEPS, shard counts) starts its own Redis servers and SHARDS_INSTANCES
# instances, then runs one load tool (bench/target/sse-bench.jar) per namespace, all at once:
# two namespaces whose trees are on different shards when there are two (found by publishing
# to /s0 … /s9 on the first multi-shard step and looking where the history is), each with
# SHARDS_SUBSCRIBERS streams spread over the instances, publishing over HTTP to one instance
# each, SHARDS_RATE events/s per namespace (0: as fast as answered). The two tools' payloads
# differ in size, so their events can be told apart below.
#
# Resume, checked on every step: a stream on `/` (every namespace, every shard) records what
# the first instance delivers during the run; afterwards a stream on the last instance resumes
# with the Last-Event-ID of the event SHARDS_RESUME_BACK events before the end of the record,
# and must get exactly the events the record has after it (none missing, none twice).
#
# One line per step:
#   scenario=shards shards=… published_per_s=… deliveries_per_s=… missed=… dup=…
#   redis_cpu_pct=<shard 1>/<shard 2> redis_cpu_usec_per_event=…/… throttled_pct=…/…
#   evalsha_usec_per_call=…/… instances_cpu_pct=… resume_expected=… resume_got=…
#   resume_missing=… resume_extra=… resume_gaps=…
# Redis CPU is that of each redis-server process (INFO cpu, user + system) over the load tools'
# whole run, as a percentage of one core and per publish it ran (its evalsha calls);
# throttled_pct is the share of the quota's periods in which the cgroup ran out of quota
# (cpu.stat), which says the shard was the bottleneck. Under a quota, evalsha's usec_per_call
# (wall-clock time inside the command) mostly counts the pauses the quota imposes; the CPU per
# event is the figure. With a 1 ms quota the kernel lets a process overrun it by up to a
# scheduler tick before throttling, so the budget is larger than the quota, and the same for
# every shard.
#
# Environment:
#   SHARDS_STEPS        shard counts, 1 or 2 (default "2 1 2 1": alternated, the machine is shared)
#   SHARDS_QUOTA_US     CPU time each redis-server may use per period (default 1000, the
#                       kernel's smallest quota)
#   SHARDS_PERIOD_US    the quota's period (default 1000000: 0.1 % of a core, low enough that
#                       the shards, not the instances, are the bottleneck on a busy 2-core
#                       machine; on a quiet one, a shorter period holds Redis back in smaller
#                       slices)
#   SHARDS_INSTANCES    gateway instances (default 2)
#   SHARDS_SUBSCRIBERS  streams per namespace (default 4)
#   SHARDS_RATE         events/s per namespace, 0 = as fast as answered (default 0)
#   SHARDS_LANES, SHARDS_WINDOW  publisher connections per namespace and unanswered publishes
#                       on each (default 4 and 64): enough queued that a shard waking from its
#                       quota always finds work, with one shard or two
#   SHARDS_DURATION     seconds measured per step (default 10)
#   SHARDS_WARMUP       seconds published before measuring (default 15: fresh instances compile
#                       their publish path meanwhile, and must not be the bottleneck)
#   SHARDS_RESUME_BACK  how far back from the end of the record the resume starts (default 800:
#                       within the 1,000 events each of the two namespaces keeps, else the
#                       resume rightly begins with history-gap)
#   SHARDS_PORT_BASE    first port tried for the instances; Redis from base + 100 (default 18500)
#   SKIP_BUILD=1        use the jars already built
#   GW_JAR, GW_JAVA_OPTS, BENCH_OUT
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
STEPS=${SHARDS_STEPS:-"2 1 2 1"}
QUOTA_US=${SHARDS_QUOTA_US:-1000}
PERIOD_US=${SHARDS_PERIOD_US:-1000000}
INSTANCES=${SHARDS_INSTANCES:-2}
SUBSCRIBERS=${SHARDS_SUBSCRIBERS:-4}
RATE=${SHARDS_RATE:-0}
DURATION=${SHARDS_DURATION:-10}
WARMUP=${SHARDS_WARMUP:-15}
LANES=${SHARDS_LANES:-4}
WINDOW=${SHARDS_WINDOW:-64}
RESUME_BACK=${SHARDS_RESUME_BACK:-800}
BASE=${SHARDS_PORT_BASE:-18500}
GW_JAR=${GW_JAR:-"$ROOT/target/sse-gateway-0.1.0-SNAPSHOT.jar"}
BENCH_JAR="$ROOT/bench/target/sse-bench.jar"
GW_JAVA_OPTS=${GW_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx256m -Xss256k -XX:MetaspaceSize=128m"}
export JWT_SECRET=${JWT_SECRET:-benchmark-secret-0123456789abcdef01234567}
OUT=${BENCH_OUT:-$(mktemp -d /tmp/sse-shards.XXXXXX)}
mkdir -p "$OUT"
PIDS=()
CGROUPS=()

cleanup() {
    stop_pids
    local g
    for g in "${CGROUPS[@]}"; do
        rmdir "$g" 2>/dev/null || true
    done
}
trap cleanup EXIT
build_jars "$ROOT"

# The cgroup a shard runs in, with its quota: v2 where the cpu controller is enabled there,
# else v1's cpu hierarchy.
if grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
    CG_ROOT=/sys/fs/cgroup
    quota() { echo "$QUOTA_US $PERIOD_US" > "$1/cpu.max"; }
    unquota() { echo "max $PERIOD_US" > "$1/cpu.max"; }
    throttled() { awk '/^nr_periods/ { p = $2 } /^nr_throttled/ { t = $2 } END { print p, t }' "$1/cpu.stat"; }
elif [[ -w /sys/fs/cgroup/cpu/cgroup.procs ]]; then
    CG_ROOT=/sys/fs/cgroup/cpu
    quota() {
        echo "$PERIOD_US" > "$1/cpu.cfs_period_us"
        echo "$QUOTA_US" > "$1/cpu.cfs_quota_us"
    }
    unquota() { echo -1 > "$1/cpu.cfs_quota_us"; }
    throttled() { awk '$1 == "nr_periods" { p = $2 } $1 == "nr_throttled" { t = $2 } END { print p, t }' "$1/cpu.stat"; }
else
    log "no writable cgroup cpu controller (v2 cpu.max or v1 cpu.cfs_quota_us): cannot hold Redis to a quota"
    exit 1
fi
if (( QUOTA_US < 1000 )); then
    log "the kernel's smallest quota is 1000 us: raise SHARDS_PERIOD_US instead"
    exit 1
fi

# A port nothing uses: the kernel hands out client ports from the same range as ours.
next_free() { # from
    local p=$1
    while [[ -n $(ss -Htan -a "( sport = :$p or dport = :$p )") ]]; do
        p=$((p + 1))
    done
    echo "$p"
}

REDIS_PORTS=()
start_shards() { # count
    local i port dir
    REDIS_PORTS=()
    for (( i = 0; i < $1; i++ )); do
        port=$(next_free $((BASE + 100 + i * 10)))
        redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
            --maxmemory-policy noeviction > "$OUT/redis-$port.log" 2>&1 &
        PIDS+=($!)
        dir="$CG_ROOT/sse-bench-shard-$$-$port"
        mkdir "$dir"
        CGROUPS+=("$dir")
        quota "$dir"
        echo "$!" > "$dir/cgroup.procs"
        wait_port "$port" 10
        REDIS_PORTS+=("$port")
    done
}

INSTANCE_PORTS=()
# A port found free may still be taken by a client socket before the instance binds it: then
# the instance is started again on the next free port.
start_instances() { # REDIS_URI=… or SSE_REDIS_SHARDS=…
    local i attempt port pid deadline next=$BASE
    INSTANCE_PORTS=()
    for (( i = 0; i < INSTANCES; i++ )); do
        for attempt in 1 2 3 4 5 0; do
            if (( attempt == 0 )); then
                log "no instance started after 5 attempts"
                exit 1
            fi
            port=$(next_free "$next")
            next=$((port + 1))
            # A throttled Redis answers a full queue in seconds: with the default timeouts the
            # instances would call it down (probe) and fail publishes (command) instead of
            # waiting for it, which is what is measured here.
            env MICRONAUT_SERVER_PORT="$port" SSE_CONTROL_PORT=0 "$1" \
                SSE_REDIS_PROBE_TIMEOUT=60s SSE_REDIS_COMMAND_TIMEOUT=60s \
                java $GW_JAVA_OPTS -jar "$GW_JAR" > "$OUT/gateway-$port.log" 2>&1 &
            pid=$!
            PIDS+=($pid)
            deadline=$((SECONDS + 120))
            while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )) \
                && ! grep -qs 'event=listening' "$OUT/gateway-$port.log"; do
                sleep 0.2
            done
            if grep -qs 'event=listening' "$OUT/gateway-$port.log"; then
                INSTANCE_PORTS+=("$port")
                break
            fi
            log "the instance on port $port did not start (attempt $attempt); see $OUT/gateway-$port.log"
            kill "$pid" 2>/dev/null || true
        done
    done
}

# Everything this step started, so that the next one starts clean.
stop_step() {
    stop_pids
    PIDS=()
    local g
    for g in "${CGROUPS[@]}"; do
        rmdir "$g" 2>/dev/null || true
    done
    CGROUPS=()
}

rcli() { redis-cli -p "$1" "${@:2}"; }

TOKEN=$(java -jar "$BENCH_JAR" --mode token)
NAMESPACES=(/s0 /s1)

# The load tools' events in an SSE capture (frames without an event: line and with one of their
# payloads, each unique: it holds its send time): their ids, or their payloads, only those after
# the event with id $3 when given.
events() { # file id|data [after-id]
    awk -v what="$2" -v after="${3:-}" 'BEGIN { RS = ""; FS = "\n"; on = (after == "") }
        {
            id = ""; data = ""; typed = 0
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^id: /) id = substr($i, 5)
                else if ($i ~ /^event: /) typed = 1
                else if ($i ~ /^data: [{]"p":/) data = $i
            }
            if (on && !typed && data != "") print (what == "id" ? id : data)
            if (id == after) on = 1
        }' "$1"
}

# Two namespaces on different shards: publish to /s0 … /s9 and look where each one's history is.
place_namespaces() {
    local i first="" second=""
    for i in 0 1 2 3 4 5 6 7 8 9; do
        curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" \
            "http://127.0.0.1:${INSTANCE_PORTS[0]}/publish/s$i?event=message" --data placement
        if [[ $(rcli "${REDIS_PORTS[0]}" EXISTS "sse:@history:/s$i") == 1 ]]; then
            first=${first:-/s$i}
        else
            second=${second:-/s$i}
        fi
    done
    if [[ -z $first || -z $second ]]; then
        log "/s0 … /s9 are all on one shard"
        exit 1
    fi
    NAMESPACES=("$first" "$second")
    log "namespaces: $first on the first shard, $second on the second"
}

placed=0
for shards in $STEPS; do
    start_shards "$shards"
    list=$(for p in "${REDIS_PORTS[@]}"; do printf 'redis://127.0.0.1:%s,' "$p"; done)
    # One shard is one Redis as REDIS_URI names it: SSE_REDIS_SHARDS with a single URI does not
    # start today (its cursors need two positions).
    if (( shards == 1 )); then
        start_instances "REDIS_URI=${list%,}"
    else
        start_instances "SSE_REDIS_SHARDS=${list%,}"
    fi
    if (( shards > 1 && placed == 0 )); then
        place_namespaces
        placed=1
    fi
    port_list=$(IFS=,; echo "${INSTANCE_PORTS[*]}")
    first=${INSTANCE_PORTS[0]}
    last=${INSTANCE_PORTS[${#INSTANCE_PORTS[@]} - 1]}
    log "$shards shard(s) at $QUOTA_US us per $PERIOD_US us each, ${#INSTANCE_PORTS[@]} instances, namespaces ${NAMESPACES[*]}"

    curl -sN "http://127.0.0.1:$first/subscribe" > "$OUT/record-$shards.txt" 2>/dev/null &
    recorder=$!
    before=()
    for p in "${REDIS_PORTS[@]}"; do
        before+=("$(redis_cpu "$p") $(evalsha_stat "$p" calls) $(evalsha_stat "$p" usec) $(throttled "$CG_ROOT/sse-bench-shard-$$-$p")")
    done
    t0=$(date +%s.%N)
    tools=()
    for i in 0 1; do
        ns=${NAMESPACES[$i]}
        subs=$(for p in "${INSTANCE_PORTS[@]}"; do printf 'http://127.0.0.1:%s/subscribe%s,' "$p" "$ns"; done)
        pub=${INSTANCE_PORTS[$(( i % ${#INSTANCE_PORTS[@]} ))]}
        java -XX:+UseSerialGC -Xmx256m -jar "$BENCH_JAR" --label "shards-$shards-$i" --conns "$SUBSCRIBERS" \
            --lanes "$LANES" --window "$WINDOW" \
            --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --drain 5 --payload-bytes $((60 + i)) \
            --sub "${subs%,}" --pub-url "http://127.0.0.1:$pub/publish$ns?event=message" \
            --token "$TOKEN" --ports "$port_list" > "$OUT/load-$shards-$i.txt" &
        tools+=($!)
    done
    for t in "${tools[@]}"; do
        wait "$t"
    done
    t1=$(date +%s.%N)
    redis_fields=()
    for (( s = 0; s < ${#REDIS_PORTS[@]}; s++ )); do
        p=${REDIS_PORTS[$s]}
        redis_fields+=("${before[$s]} $(redis_cpu "$p") $(evalsha_stat "$p" calls) $(evalsha_stat "$p" usec) $(throttled "$CG_ROOT/sse-bench-shard-$$-$p")")
    done
    sleep 2
    kill "$recorder" 2>/dev/null || true
    wait "$recorder" 2>/dev/null || true

    # The resume: from an event near the end of the record, on another instance than the one
    # that recorded it. Publishing has stopped, so what it gets is the replay, then nothing.
    # The quota is lifted first: this checks what is replayed, not how fast a throttled Redis
    # reads it (thousands of entries take seconds of a 0.2 % budget).
    for p in "${REDIS_PORTS[@]}"; do
        unquota "$CG_ROOT/sse-bench-shard-$$-$p"
    done
    events "$OUT/record-$shards.txt" id > "$OUT/record-ids-$shards.txt"
    recorded=$(wc -l < "$OUT/record-ids-$shards.txt")
    back=$(( recorded > RESUME_BACK ? RESUME_BACK : recorded - 1 ))
    cursor=$(sed -n "$(( recorded - back ))p" "$OUT/record-ids-$shards.txt")
    events "$OUT/record-$shards.txt" data "$cursor" | sort > "$OUT/expected-$shards.txt"
    curl -sN --max-time 5 -H "Last-Event-ID: $cursor" "http://127.0.0.1:$last/subscribe" \
        > "$OUT/resume-$shards.txt" 2>/dev/null || true
    events "$OUT/resume-$shards.txt" data | sort > "$OUT/resumed-$shards.txt"
    expected=$(wc -l < "$OUT/expected-$shards.txt")
    got=$(wc -l < "$OUT/resumed-$shards.txt")
    missing=$(comm -23 "$OUT/expected-$shards.txt" "$OUT/resumed-$shards.txt" | wc -l)
    extra=$(comm -13 "$OUT/expected-$shards.txt" "$OUT/resumed-$shards.txt" | wc -l)
    gaps=$(grep -c '^event: history-gap' "$OUT/resume-$shards.txt" || true)

    sum() { # field
        cat "$OUT/load-$shards-0.txt" "$OUT/load-$shards-1.txt" \
            | sed -n "s/.* $1=\([^ ]*\).*/\1/p" | awk '{ s += $1 } END { printf "%g", s }'
    }
    icpu=$(sed -n 's/.* server_cpu_pct=\([^ ]*\).*/\1/p' "$OUT/load-$shards-0.txt")
    printf '%s\n' "${redis_fields[@]}" | awk -v shards="$shards" -v t0="$t0" -v t1="$t1" \
        -v pub="$(sum published_per_s)" -v del="$(sum deliveries_per_s)" -v missed="$(sum missed)" -v dup="$(sum dup)" \
        -v icpu="$icpu" -v expct="$expected" -v got="$got" -v miss="$missing" -v extra="$extra" -v gaps="$gaps" '
        # each line: cpu0 calls0 usec0 periods0 throttled0 cpu1 calls1 usec1 periods1 throttled1
        {
            calls = $7 - $2
            cpu = cpu (NR > 1 ? "/" : "") sprintf("%.1f", 100 * ($6 - $1) / (t1 - t0))
            per = per (NR > 1 ? "/" : "") sprintf("%.1f", calls > 0 ? ($6 - $1) * 1e6 / calls : 0)
            thr = thr (NR > 1 ? "/" : "") sprintf("%.0f", $9 > $4 ? 100 * ($10 - $5) / ($9 - $4) : 0)
            ev = ev (NR > 1 ? "/" : "") sprintf("%.1f", calls > 0 ? ($8 - $3) / calls : 0)
        }
        END {
            printf "scenario=shards shards=%d published_per_s=%s deliveries_per_s=%s missed=%s dup=%s", shards, pub, del, missed, dup
            printf " redis_cpu_pct=%s redis_cpu_usec_per_event=%s throttled_pct=%s evalsha_usec_per_call=%s", cpu, per, thr, ev
            printf " instances_cpu_pct=%s resume_expected=%d resume_got=%d resume_missing=%d resume_extra=%d resume_gaps=%d\n", icpu, expct, got, miss, extra, gaps
        }'
    stop_step
done
