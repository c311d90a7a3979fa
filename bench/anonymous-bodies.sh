#!/usr/bin/env bash
# Anonymous large bodies (issue: bodies read before authentication): N clients post a 15 MiB
# body to /broadcast without a token, all at once; prints the gateway's RSS before and after and
# the statuses answered. A gateway that decides from the head answers 401 without taking the
# bodies in.
#
#   bench/anonymous-bodies.sh [CLIENTS=30]
#
# Environment: SKIP_BUILD=1, GW_JAR (another gateway jar, to compare builds), GW_PORT (18086).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
CLIENTS=${1:-30}
PORT=${GW_PORT:-18086}
GW_JAR=${GW_JAR:-"$ROOT/target/sse-gateway-0.1.0-SNAPSHOT.jar"}
GW_JAVA_OPTS=${GW_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx384m -XX:MetaspaceSize=128m"}
export JWT_SECRET=${JWT_SECRET:-benchmark-secret-0123456789abcdef01234567}
OUT=$(mktemp -d /tmp/anonymous-bodies.XXXXXX)

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$ROOT" && ./mvnw -q -DskipTests package)
fi
head -c $((15 * 1024 * 1024)) /dev/zero | tr '\0' 'x' > "$OUT/body"
MICRONAUT_SERVER_PORT=$PORT SSE_CONTROL_PORT=0 java $GW_JAVA_OPTS -jar "$GW_JAR" > "$OUT/gateway.log" 2>&1 &
GW_PID=$!
trap 'kill $GW_PID 2>/dev/null || true; wait $GW_PID 2>/dev/null || true; rm -rf "$OUT"' EXIT
wait_port "$PORT" 60 || { echo "gateway did not start" >&2; exit 1; }
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$GW_PID/status"; }
echo "rss_before_mb=$(rss)"
start=$SECONDS
for i in $(seq "$CLIENTS"); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 -H 'Content-Type: application/json' \
        --data-binary @"$OUT/body" "http://127.0.0.1:$PORT/broadcast" >> "$OUT/statuses" 2>/dev/null &
done
wait $(jobs -p | grep -v "^$GW_PID$") 2>/dev/null || true
echo "rss_after_mb=$(rss) seconds=$((SECONDS - start)) statuses=$(sort "$OUT/statuses" | uniq -c | awk '{printf "%s:%s,", $2, $1}')"
