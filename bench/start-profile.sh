#!/usr/bin/env bash
# Where the main thread's CPU time goes from launching the gateway to the first byte of an SSE
# stream: a JFR recording of the start (method samples every millisecond), dumped when the first
# byte arrives, then the main thread's samples aggregated.
#
#   bench/start-profile.sh [JFR file] [JVM option...]
#   SKIP_BUILD=1 JAR=/tmp/other.jar PORT=27100 bench/start-profile.sh /tmp/other.jfr
#
# Prints the share of the main thread's samples under each method (inclusive, the first TOP,
# default 60), then the share whose innermost bean being made is each bean definition. One
# recording has a few hundred samples: differences of a few percent are noise.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-target/start-profile.jfr}
shift || true
PORT=${PORT:-$((20000 + RANDOM % 20000))}
JAR=${JAR:-target/sse-gateway-0.1.0-SNAPSHOT.jar}
JAVA=${JAVA:-java}
if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -q package -DskipTests
fi
# The same production-like settings as bench/cold-start.sh.
export MICRONAUT_SERVER_PORT=$PORT SSE_CONTROL_PORT=0 SSE_DRAIN_PERIOD=0s
export JWT_SECRET=${JWT_SECRET:-cold-start-bench-secret-cold-start-bench-secret}

# The JDK's "profile" settings, with the Java method samples every millisecond instead of 10.
settings=$(mktemp --suffix=.jfc)
trap 'rm -f "$settings"' EXIT
home=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.home/ {print $2}')
sed '/<event name="jdk.ExecutionSample">/,/<\/event>/ s|<setting name="period"\([^>]*\)>[^<]*<|<setting name="period"\1>1 ms<|' \
  "$home/lib/jfr/profile.jfc" > "$settings"

start=$(date +%s%N)
"$JAVA" -XX:StartFlightRecording=name=start,settings="$settings" "$@" -jar "$JAR" > target/start-profile.log 2>&1 &
pid=$!
# Without pipefail here: curl ends on SIGPIPE once head has its byte, which is the success.
first_byte() { set +o pipefail; curl -sN --max-time 3 "http://127.0.0.1:$PORT/subscribe/x" 2>/dev/null | head -c 1 | grep -q .; }
until first_byte; do
  kill -0 "$pid" 2>/dev/null || { echo "the gateway died; see target/start-profile.log" >&2; exit 1; }
  sleep 0.05
done
echo "first byte after $(( ($(date +%s%N) - start) / 1000000 )) ms; load $(cut -d' ' -f1-3 /proc/loadavg)"
jcmd "$pid" JFR.dump name=start filename="$(realpath -m "$OUT")" > /dev/null
kill -TERM "$pid"
wait "$pid" || true

jfr print --json --stack-depth 250 --events jdk.ExecutionSample "$OUT" | TOP=${TOP:-60} python3 -c '
import collections, json, os, sys
events = json.load(sys.stdin)["recording"]["events"]
stacks = []
for e in events:
    thread = e["values"]["sampledThread"]
    if thread and thread.get("javaName") == "main":
        stacks.append([f["method"]["type"]["name"] + "." + f["method"]["name"] for f in e["values"]["stackTrace"]["frames"]])
n = len(stacks)
print(f"{n} samples of the main thread")
inclusive, beans = collections.Counter(), collections.Counter()
for stack in stacks:
    inclusive.update(set(stack))
    bean = next((f for f in stack if "$Definition." in f and (".instantiate" in f or ".inject" in f)), "(no bean being made)")
    beans[bean] += 1
for method, count in inclusive.most_common(int(os.environ["TOP"])):
    print(f"{100 * count / n:5.1f}% {method}")
print("\nby the innermost bean being made:")
for bean, count in beans.most_common(20):
    print(f"{100 * count / n:5.1f}% {bean}")
'
