#!/usr/bin/env bash
# The login flood (issue: logins on the event loops): N clients post wrong passwords to /login
# for S seconds while one subscriber receives an event every 50 ms and a liveness probe runs
# every 100 ms; prints SSE latency and liveness p50/p99 for a quiet phase and for the flood.
#
#   bench/login-flood.sh [LOGINS=64] [SECONDS=20]
#
# Environment: SKIP_BUILD=1 uses the jars already built; GW_JAR another gateway jar (to compare
# builds); GW_PORT (default 18085). A user "flood" is configured, so each wrong password costs
# a real bcrypt check (cost 10). Everything listens on 127.0.0.1 and is stopped on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
LOGINS=${1:-64}
SECONDS_FLOOD=${2:-20}
PORT=${GW_PORT:-18085}
GW_JAR=${GW_JAR:-"$ROOT/target/sse-gateway-0.1.0-SNAPSHOT.jar"}
BENCH_JAR="$ROOT/bench/target/sse-bench.jar"
GW_JAVA_OPTS=${GW_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx384m -XX:MetaspaceSize=128m"}
export JWT_SECRET=${JWT_SECRET:-benchmark-secret-0123456789abcdef01234567}
OUT=$(mktemp -d /tmp/login-flood.XXXXXX)

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$ROOT" && ./mvnw -q -DskipTests package)
    (cd "$ROOT/bench" && mvn -q -DskipTests package)
fi
# bcrypt of a password nobody types, cost 10: the hash only has to be real for the check to cost.
cat > "$OUT/users.yml" <<'YML'
sse:
  users:
    flood:
      password-hash: "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
      roles: [publisher]
YML
MICRONAUT_SERVER_PORT=$PORT SSE_CONTROL_PORT=0 MICRONAUT_CONFIG_FILES="$OUT/users.yml" \
    java $GW_JAVA_OPTS -jar "$GW_JAR" > "$OUT/gateway.log" 2>&1 &
GW_PID=$!
trap 'kill $GW_PID 2>/dev/null || true; wait $GW_PID 2>/dev/null || true' EXIT
wait_port "$PORT" 60 || { echo "gateway did not start; see $OUT/gateway.log" >&2; exit 1; }
java -cp "$BENCH_JAR" io.ssegateway.bench.LoginFlood "$PORT" "$LOGINS" "$SECONDS_FLOOD"
