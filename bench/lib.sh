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
