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
