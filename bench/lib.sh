# Shared by the bench scripts (sourced, not run): a timestamped log line on stderr, and a
# bounded wait for a port on 127.0.0.1 to take connections.

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

wait_port() { # port seconds
    local deadline=$((SECONDS + $2))
    until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
        if (( SECONDS > deadline )); then
            log "port $1 did not open within $2 s"
            return 1
        fi
        sleep 0.1
    done
}

# The EXIT trap of a script that starts servers: stops every process it added to PIDS, and
# waits for them, so that no server outlives the run.
stop_pids() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}

# Builds the gateway and the load tool (a build of its own), unless SKIP_BUILD=1.
build_jars() { # repository root
    if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
        log "building the gateway and the load tool"
        (cd "$1" && ./mvnw -q -DskipTests package)
        (cd "$1/bench" && mvn -q -DskipTests package)
    fi
}

# async-profiler from Maven Central (tools.profiler:async-profiler), unpacked into a directory;
# prints the path of the agent library to load with jcmd JVMTI.agent_load.
async_profiler() { # directory
    local version=4.1
    mvn -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$version >/dev/null 2>&1
    (cd "$1" && unzip -o -q "$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar" 'linux-x64/*')
    echo "$1/linux-x64/libasyncProfiler.so"
}

# What the profile scripts share with run.sh: the output directory, the jars, the gateway's JVM
# options and the signing secret, each unless set in the environment.
profile_defaults() { # repository root
    OUT=${BENCH_OUT:-$(mktemp -d /tmp/sse-profile.XXXXXX)}
    mkdir -p "$OUT"
    GW_JAR=${GW_JAR:-"$1/target/sse-gateway-0.1.0-SNAPSHOT.jar"}
    GW_JAVA_OPTS=${GW_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx512m -Xss256k -XX:MetaspaceSize=128m"}
    BENCH_JAR="$1/bench/target/sse-bench.jar"
    export JWT_SECRET=${JWT_SECRET:-benchmark-secret-0123456789abcdef01234567}
}

# CPU seconds of a redis-server so far, user and system (INFO cpu).
redis_cpu() { # port
    redis-cli -p "$1" INFO cpu | tr -d '\r' | awk -F: '/^used_cpu_(sys|user):/ { s += $2 } END { printf "%.6f", s }'
}

# A field of the publish script's commandstats so far: calls or usec (Redis 7 also has
# rejected_calls and failed_calls, so the field is matched by its whole name).
evalsha_stat() { # port calls|usec
    redis-cli -p "$1" INFO commandstats | tr -d '\r' | sed -n 's/^cmdstat_evalsha://p' | tr ',' '\n' | sed -n "s/^$2=//p"
}
