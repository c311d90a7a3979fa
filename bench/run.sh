#!/usr/bin/env bash
# Runs the benchmark scenarios against sse-gateway and nginx + Nchan in one run, back to back,
# and prints a table with the ratios. Everything it starts listens on 127.0.0.1 only and is
# stopped on exit; every load step is bounded in time by the load tool itself.
#
#   bench/run.sh            full run (about 9 minutes with the build)
#   bench/run.sh --quick    shorter measurements (about 4 minutes)
#
# Environment:
#   SKIP_BUILD=1      use the jars already built
#   GW_JAR            the gateway jar to measure (default: this checkout's build)
#   GW_JAVA_OPTS      JVM options of the gateway (default below)
#   R_JAVA_OPTS       JVM options of the two gateways of "r" (default: the chart's heap, below)
#   SCENARIOS         which to run, default "c a a100 b w1 w4 w16 a50 overload e cost"; named only: "budget"
#                     (its own gateway with the chart's heap) and "r" (resume storm, two
#                     instances on Redis, 100 namespaces x 1,000 events, 500 clients)
#   BENCH_PORT_BASE   first of the ports used (default 18080; the others follow it)
#   BENCH_REDIS_PORT  Redis port (default BENCH_PORT_BASE - 1689; an odd one binds more surely)
#   BENCH_OUT         directory for logs and the raw result lines (default: a new temp dir)
set -euo pipefail

QUICK=0
if [[ "${1:-}" == "--quick" ]]; then
    QUICK=1
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
OUT=${BENCH_OUT:-$(mktemp -d /tmp/sse-bench.XXXXXX)}
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: > "$RESULTS"
SCENARIOS=${SCENARIOS:-"c a a100 b w1 w4 w16 a50 overload e cost"}

# Ports, all on 127.0.0.1. Chosen away from the defaults (8080, 6379, 7070) so a run does not
# meet a gateway or Redis someone else is using on the same machine. Odd offsets from an even
# base: Linux gives connect() the even ephemeral ports first, and on a machine where other load
# tools hold thousands of connections about half the even ports of a range were taken, so a
# server on an even port failed to bind in most runs.
BASE=${BENCH_PORT_BASE:-18080}
GW=$((BASE + 1)); GW_R1=$((BASE + 3)); GW_R2=$((BASE + 5)); GW_BUDGET=$((BASE + 7))
NC1=$((BASE + 11)); NC2=$((BASE + 13)); NC_R1=$((BASE + 15)); NC_R2=$((BASE + 17))
REDIS_PORT=${BENCH_REDIS_PORT:-$((BASE - 1689))}

if [[ $QUICK == 1 ]]; then
    DURATION=3; WARMUP=1; SETTLE=2; IDLE_CONNS=5000; STORM_CONNS=5000; OVERLOAD_DURATION=12
else
    DURATION=10; WARMUP=2; SETTLE=3; IDLE_CONNS=5000; STORM_CONNS=5000; OVERLOAD_DURATION=20
fi
CONNS=1000
BUDGET_STALLED=${BUDGET_STALLED:-2000}; BUDGET_READERS=10
HISTORY=2000   # the storm resumes 1,000 events back while publishing goes on
# Serial GC and a small heap: the gateway's live set is small (young collections every few
# seconds at 50 events/s, BENCHMARKS.md). MetaspaceSize: without it the first seconds of load
# brought full collections for class metadata of 120-230 ms. Both JIT tiers, as the image
# runs it (BENCHMARKS.md, "The JIT at 50 events/s").
GW_JAVA_OPTS=${GW_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx512m -Xss256k -XX:MetaspaceSize=128m"}
export JWT_SECRET=${JWT_SECRET:-benchmark-secret-0123456789abcdef01234567}

GW_JAR=${GW_JAR:-"$ROOT/target/sse-gateway-0.1.0-SNAPSHOT.jar"}
BENCH_JAR="$ROOT/bench/target/sse-bench.jar"
PIDS=()
NGINX_CONFS=()


cleanup() {
    for conf in "${NGINX_CONFS[@]}"; do
        nginx -c "$conf" -p "$(dirname "$conf")" -s stop 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

# --- build and install --------------------------------------------------------------------
build_jars "$ROOT"
# Only the scenarios that compare with Nchan need nginx and the single-instance gateway.
NEEDS_NCHAN=0
for sc in c a a100 b w1 w4 w16 a50 overload e; do
    [[ " $SCENARIOS " == *" $sc "* ]] && NEEDS_NCHAN=1
done
if [[ $NEEDS_NCHAN == 1 ]] && { [[ ! -f /usr/lib/nginx/modules/ngx_nchan_module.so ]] || ! command -v nginx >/dev/null; }; then
    log "installing nginx and Nchan"
    if [[ $(id -u) != 0 ]]; then
        echo "nginx and libnginx-mod-nchan are missing; run as root to install them" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y nginx libnginx-mod-nchan >/dev/null || { apt-get update -qq && apt-get install -y nginx libnginx-mod-nchan >/dev/null; }
fi
ulimit -n 20000 2>/dev/null || true

# --- servers ------------------------------------------------------------------------------
start_redis() {
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
        --maxmemory-policy noeviction > "$OUT/redis.log" 2>&1 &
    PIDS+=($!)
    wait_port "$REDIS_PORT" 10
}

start_gateway() { # port [redis-uri] [java options] [history-length]
    local port=$1 redis=${2:-} opts=${3:-$GW_JAVA_OPTS} history=${4:-$HISTORY}
    local env=(MICRONAUT_SERVER_PORT="$port" SSE_CONTROL_PORT=0 SSE_HISTORY_MAX_LENGTH=$history)
    if [[ -n $redis ]]; then
        env+=(REDIS_URI="$redis")
    fi
    env "${env[@]}" java $opts -jar "$GW_JAR" > "$OUT/gateway-$port.log" 2>&1 &
    PIDS+=($!)
    # 180 s: on the shared 2 cores, under a load average of 25, a start took longer than 60 s.
    wait_port "$port" 180
}

start_nchan() { # port workers [redis-url]
    local port=$1 workers=$2 redis=${3:-}
    local dir="$OUT/nginx-$port"
    mkdir -p "$dir"
    local redis_conf=""
    if [[ -n $redis ]]; then
        redis_conf="nchan_redis_url \"$redis\"; nchan_use_redis on;"
    fi
    cat > "$dir/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
worker_processes $workers;
worker_rlimit_nofile 20000;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 16000; multi_accept on; }
http {
  access_log off;
  # The load tool publishes over a few keep-alive connections; nginx would close each after
  # 1,000 requests (its default) and the publisher would have to reconnect mid-run.
  keepalive_requests 1000000;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  $redis_conf
  server {
    listen 127.0.0.1:$port backlog=4096;
    location ~ ^/sub/(.+)\$ {
      nchan_subscriber eventsource;
      nchan_channel_id \$1;
      nchan_subscriber_first_message newest;
    }
    location ~ ^/pub/(.+)\$ {
      nchan_publisher;
      nchan_channel_id \$1;
      nchan_message_buffer_length $HISTORY;
      nchan_message_timeout 1h;
    }
  }
}
EOF
    nginx -c "$dir/nginx.conf" -p "$dir"
    NGINX_CONFS+=("$dir/nginx.conf")
    wait_port "$port" 10
}

# --- the load tool ------------------------------------------------------------------------
RUN=0
bench() { # scenario label args...
    local scenario=$1 label=$2
    shift 2
    RUN=$((RUN + 1))
    local line
    line=$(timeout 180 java -XX:+UseParallelGC -Xmx1g -jar "$BENCH_JAR" --label "$label" "$@" 2>>"$OUT/bench.err" || true)
    if [[ -z $line ]]; then
        line="label=$label error=no-result"
    fi
    echo "scenario=$scenario $line" | tee -a "$RESULTS" >&2
}

token() { java -jar "$BENCH_JAR" --mode token; }

# A few seconds of flat-out load before measuring, for every server alike: the gateway's JIT
# compiles its hot paths in the first seconds (C2 was the busiest thread of a cold run).
warm() { # sub-url pub-url [token]
    timeout 60 java -jar "$BENCH_JAR" --label warmup --conns 200 --rate 0 --duration 5 --warmup 0 --drain 1 \
        --sub "$1" --pub-url "$2" ${3:+--token "$3"} >/dev/null 2>>"$OUT/bench.err" || true
}

gw_sub() { echo "http://127.0.0.1:$1/subscribe/$2"; }
gw_pub() { echo "http://127.0.0.1:$1/publish/$2?event=message"; }
nc_sub() { echo "http://127.0.0.1:$1/sub/$2"; }
nc_pub() { echo "http://127.0.0.1:$1/pub/$2"; }

STREAM=(--conns $CONNS --duration $DURATION --warmup $WARMUP --drain 5)

has() { [[ " $SCENARIOS " == *" $1 "* ]]; }

# --- run ----------------------------------------------------------------------------------
log "results and logs in $OUT"
TOKEN=$(token)
if [[ $NEEDS_NCHAN == 1 ]]; then
    start_gateway $GW
    start_nchan $NC1 1
    start_nchan $NC2 2
    log "warming up every server"
    warm "$(gw_sub $GW warm)" "$(gw_pub $GW warm)" "$TOKEN"
    warm "$(nc_sub $NC1 warm)" "$(nc_pub $NC1 warm)"
    warm "$(nc_sub $NC2 warm)" "$(nc_pub $NC2 warm)"
fi

if has c; then
    log "(c) memory with 0 and $IDLE_CONNS idle connections"
    bench c gateway --mode idle --conns $IDLE_CONNS --settle $SETTLE --sub "$(gw_sub $GW idle)" --ports $GW
    bench c nchan-1w --mode idle --conns $IDLE_CONNS --settle $SETTLE --sub "$(nc_sub $NC1 idle)" --ports $NC1
fi

# The same stream scenario against the gateway and both Nchan setups, one after the other.
stream_all() { # scenario rate [load tool options...]
    local sc=$1 rate=$2
    shift 2
    bench "$sc" gateway "${STREAM[@]}" --rate "$rate" "$@" --sub "$(gw_sub $GW "$sc")" --pub-url "$(gw_pub $GW "$sc")" \
        --token "$TOKEN" --ports $GW
    bench "$sc" nchan-1w "${STREAM[@]}" --rate "$rate" "$@" --sub "$(nc_sub $NC1 "$sc")" --pub-url "$(nc_pub $NC1 "$sc")" --ports $NC1
    bench "$sc" nchan-2w "${STREAM[@]}" --rate "$rate" "$@" --sub "$(nc_sub $NC2 "$sc")" --pub-url "$(nc_pub $NC2 "$sc")" --ports $NC2
}

if has a; then
    log "(a) $CONNS connections, 1000 events/s"
    stream_all a 1000
fi

if has a100; then
    log "(a100) $CONNS connections, 100 events/s: a load every server here sustains"
    stream_all a100 100
fi

if has b; then
    log "(b) $CONNS connections, publishers flat out"
    stream_all b 0
fi

# Publishers as applications run them: each sends one publish and waits for its answer before
# the next (one connection each, nothing pipelined), as fast as answered. With (b)'s 64 requests
# in flight one write carries many events; here each publish waits behind the fan-out of the
# one before it, so this measures the publish round trip and the cost of unbatched deliveries.
for n in 1 4 16; do
    if has "w$n"; then
        log "(w$n) $CONNS connections, $n publishers each waiting for its answer"
        stream_all "w$n" 0 --lanes "$n" --window 1
    fi
done

if has overload; then
    log "(overload) flat-out publishing, 50 of $CONNS clients read 1 KB/s and resume when cut"
    OVERLOAD=(--conns $CONNS --duration $OVERLOAD_DURATION --warmup $WARMUP --drain 5 --rate 0 --slow 50
              --slow-read 256 --slow-interval 250 --reconnect)
    before=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GW/status" | grep -o '"slowClientsDisconnected":[0-9]*' | cut -d: -f2 || true)
    bench overload gateway "${OVERLOAD[@]}" --sub "$(gw_sub $GW slow)" \
        --pub-url "$(gw_pub $GW slow)" --token "$TOKEN" --ports $GW
    after=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GW/status" | grep -o '"slowClientsDisconnected":[0-9]*' | cut -d: -f2 || true)
    echo "scenario=overload label=gateway-status slow_clients_disconnected=$(( ${after:-0} - ${before:-0} ))" | tee -a "$RESULTS" >&2
    bench overload nchan-1w "${OVERLOAD[@]}" --sub "$(nc_sub $NC1 slow)" \
        --pub-url "$(nc_pub $NC1 slow)" --ports $NC1
fi

if has a50; then
    # Two instances on one Redis, 50 events/s published to A, the 1,000 subscribers on B: every
    # event crosses Redis. Three ways in to the gateway (HTTP on A, raw PUBLISH, HTTP on B, the
    # instance that also fans out) and Nchan's HTTP on A. CPU counts both servers and Redis.
    log "(a50) two instances on Redis, 50 events/s"
    start_redis
    start_gateway $GW_R1 "redis://127.0.0.1:$REDIS_PORT"
    start_gateway $GW_R2 "redis://127.0.0.1:$REDIS_PORT"
    start_nchan $NC_R1 1 "redis://127.0.0.1:$REDIS_PORT"
    start_nchan $NC_R2 1 "redis://127.0.0.1:$REDIS_PORT"
    warm "$(gw_sub $GW_R2 warm)" "$(gw_pub $GW_R1 warm)" "$TOKEN"
    warm "$(gw_sub $GW_R2 warm)" "$(gw_pub $GW_R2 warm)" "$TOKEN"
    warm "$(nc_sub $NC_R2 warm)" "$(nc_pub $NC_R1 warm)"
    A50=("${STREAM[@]}" --rate 50 --lanes 1)
    bench a50 gateway-redis "${A50[@]}" --sub "$(gw_sub $GW_R2 a50)" \
        --pub-url "$(gw_pub $GW_R1 a50)" --token "$TOKEN" --ports $GW_R1,$GW_R2,$REDIS_PORT
    bench a50 nchan-redis "${A50[@]}" --sub "$(nc_sub $NC_R2 a50)" \
        --pub-url "$(nc_pub $NC_R1 a50)" --ports $NC_R1,$NC_R2,$REDIS_PORT
    bench a50 gateway-redis-raw "${A50[@]}" --sub "$(gw_sub $GW_R2 a50)" \
        --redis "redis://127.0.0.1:$REDIS_PORT" --channel "sse:/a50" --ports $GW_R1,$GW_R2,$REDIS_PORT
    bench a50 gateway-redis-same "${A50[@]}" --sub "$(gw_sub $GW_R2 a50)" \
        --pub-url "$(gw_pub $GW_R2 a50)" --token "$TOKEN" --ports $GW_R1,$GW_R2,$REDIS_PORT
fi

if has e; then
    log "(e) $STORM_CONNS clients resume at once, 1000 events behind"
    bench e gateway --mode storm --conns $STORM_CONNS --backlog 1000 --live-rate 50 --timeout 15 \
        --sub "$(gw_sub $GW storm)" --pub-url "$(gw_pub $GW storm)" --token "$TOKEN" --ports $GW
    bench e nchan-1w --mode storm --conns $STORM_CONNS --backlog 1000 --live-rate 50 --timeout 15 \
        --sub "$(nc_sub $NC1 storm)" --pub-url "$(nc_pub $NC1 storm)" --ports $NC1
fi

if has budget; then
    # Issue 16.2: clients that never read must not starve the ones that do. The gateway runs as
    # the Helm chart runs it (a 512 Mi pod: 75% of it as heap, serial GC on 2 cores), so its
    # direct memory limit is the 384 MiB heap size; the load tool reports the largest RSS.
    # MaxRAM stands for the pod's limit, which the JVM reads from the cgroup there: without it
    # the JVM sizes its first heap from this host's memory (1/64 of 23 GiB) instead of the pod's.
    # The native-memory options are the image's (Dockerfile): without them freed direct buffers
    # stayed in glibc's arenas and the RSS passed the pod's limit.
    BUDGET_JAVA_OPTS=${BUDGET_JAVA_OPTS:-"-XX:MaxRAM=512m -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=1000"}
    log "(budget) $BUDGET_STALLED clients that never read and $BUDGET_READERS readers, 5 MB published"
    MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-131072} start_gateway $GW_BUDGET "" "$BUDGET_JAVA_OPTS"
    warm "$(gw_sub $GW_BUDGET warm)" "$(gw_pub $GW_BUDGET warm)" "$TOKEN"
    # 5,000 events of 1,000 bytes in 10 s; the stalled clients take their response head and then
    # nothing (4 KiB receive buffers); cut ones reconnect and resume, so the pressure stays.
    bench budget gateway --conns $((BUDGET_STALLED + BUDGET_READERS)) --slow $BUDGET_STALLED --stall --reconnect \
        --payload-bytes 1000 --rate 500 --duration 10 --warmup 0 --drain 10 --lanes 4 \
        --probe "http://127.0.0.1:$GW_BUDGET/health" \
        --sub "$(gw_sub $GW_BUDGET budget)" --pub-url "$(gw_pub $GW_BUDGET budget)" --token "$TOKEN" --ports $GW_BUDGET
    slow=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GW_BUDGET/status" | grep -o '"slowClientsDisconnected":[0-9]*' | cut -d: -f2 || true)
    echo "scenario=budget label=gateway-status slow_clients_disconnected=${slow:-?}" | tee -a "$RESULTS" >&2
fi

if has r; then
    # Issue: a handful of resumes with an unknown id against a large history stopped every
    # Redis-mode instance. Two instances as the Helm chart sizes them (-Xmx384m), one Redis.
    log "(r) 500 clients resume at once with a malformed id, 100 namespaces x 1,000 events, two instances"
    start_redis
    R_OPTS=${R_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx384m -Xss256k -XX:MetaspaceSize=128m"}
    start_gateway $GW_R1 "redis://127.0.0.1:$REDIS_PORT" "$R_OPTS" 1000
    start_gateway $GW_R2 "redis://127.0.0.1:$REDIS_PORT" "$R_OPTS" 1000
    bench r gateway-redis --mode resume --conns 500 --namespaces 100 --backlog 1000 --timeout 90 \
        --sub "$(gw_sub $GW_R1 rs),$(gw_sub $GW_R2 rs)" --token "$TOKEN" --redis "redis://127.0.0.1:$REDIS_PORT"
fi

if has cost; then
    log "(cost) Redis CPU per publish (INFO commandstats), one namespace at its count bound"
    GW_JAR="$GW_JAR" BENCH_OUT="$OUT" bash "$ROOT/bench/publish-cost.sh" | tee -a "$RESULTS" >&2
fi

# --- table --------------------------------------------------------------------------------
echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB, kernel $(uname -r), $(java -version 2>&1 | head -1)"
echo "mode: $([[ $QUICK == 1 ]] && echo quick || echo full), ${DURATION}s measured after ${WARMUP}s warm-up; raw lines in $RESULTS"
bash "$ROOT/bench/table.sh" "$RESULTS"
