#!/usr/bin/env bash
# Cold start on the JVM: from launching the process to the first byte of an SSE stream
# (the opening "retry:" of GET /subscribe/x), measured over several runs.
#
#   bench/cold-start.sh [RUNS] [JVM option...]
#   bench/cold-start.sh 10 -XX:TieredStopAtLevel=1
#   CDS=1 bench/cold-start.sh 10      # with an AppCDS archive (Java 17 and later)
#   AOT=1 JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/cold-start.sh 10
#                                     # as the container starts: with a Java 25 AOT cache
#   CLASSES=1 bench/cold-start.sh 3   # also counts the classes loaded by the first byte
#                                     # (bench/startup-classes.sh groups them by package)
#   IDLE=30 bench/cold-start.sh 3 -XX:NativeMemoryTracking=summary
#                                     # also the memory after 30 s idle, with 0 and then with
#                                     # STREAMS (1000) idle streams open
#
# Environment: SKIP_BUILD=1 reuses target/, PORT (default: a random high port; run i uses
# the next free port after PORT+1, the training runs PORT and PORT+1), JAR (default:
# the built jar), JAVA (default: java on the PATH), CDS=1 first makes an application class-data
# archive in a training run and starts every run with it, AOT=1 makes an AOT cache with the
# image's own training run (deploy/aot-training.sh: a start, one stream, one publish, SIGTERM)
# and starts every run with it, as the Dockerfile does. CLASSES=1 logs class loading
# (-Xlog:class+load) to target/cold-start-classes-<run>.log and prints how many classes were
# loaded when the first byte arrived (a count the machine's load does not change). Also prints
# the RSS at the first byte. IDLE=<seconds> then waits that long with no stream but the first,
# prints where the memory is, opens STREAMS idle streams (default 1000; held by this shell),
# waits as long again and prints it again: RSS split into anonymous memory (heap, metaspace,
# malloc, stacks, code) and file-backed mappings, the part of those that is the AOT cache or
# CDS archive, and, when the options have -XX:NativeMemoryTracking=summary, the JVM's committed
# memory per category (the whole report in target/cold-start-nmt-<run>-<stage>.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-10}
shift || true
PORT=${PORT:-$((20000 + RANDOM % 20000))}
URL="http://127.0.0.1:${PORT}/subscribe/x"
JAR=${JAR:-target/sse-gateway-0.1.0-SNAPSHOT.jar}

if [[ -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -q package -DskipTests
fi

# Production-like settings: a real secret (no development-mode token), no control port, and
# no drain period, so that each run ends at once.
export MICRONAUT_SERVER_PORT=$PORT SSE_CONTROL_PORT=0 SSE_DRAIN_PERIOD=0s
export JWT_SECRET=${JWT_SECRET:-cold-start-bench-secret-cold-start-bench-secret}

# Something else answering on the port would be timed instead of the gateway.
if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:${PORT}/"; then
  echo "port $PORT is in use; set PORT" >&2
  exit 1
fi

JAVA=${JAVA:-java}

start_gateway() {
  "$JAVA" "$@" -jar "$JAR" &
}

# Waits for the first byte of an SSE stream from process $1; prints
# "<epoch ns> <JVM CPU ms> <main thread CPU ms> <RSS MB> <classes loaded>".
# The clock is read when the byte arrives; curl itself only notices that head has gone at its
# next write, so --max-time bounds each attempt. A refused connection fails fast: poll gently
# so the polling does not take the CPU from the starting JVM.
first_byte() {
  local got=""
  until [[ -n "$got" ]]; do
    if ! kill -0 "$1" 2>/dev/null; then
      return 1
    fi
    got=$(curl -sN --max-time 3 "$URL" 2>/dev/null \
      | { [[ -n "$(head -c 1)" ]] && echo "$(date +%s%N) $(cpu_ms "$1") $(main_thread_cpu_ms "$1") $(rss_mb "$1") $(classes_loaded)"; } || true)
    [[ -n "$got" ]] || sleep 0.02
  done
  echo "$got"
}

# Lines of the class-load log so far (the JVM writes each line as it loads the class), or "-".
classes_loaded() {
  if [[ -n "${class_log:-}" ]]; then wc -l < "$class_log"; else echo -; fi
}

# Resident memory of the JVM, in MB.
rss_mb() {
  echo $(( $(awk '/^VmRSS:/ {print $2}' "/proc/$1/status") / 1024 ))
}

# CPU time the JVM has used (all its threads): steadier than wall time on a busy machine.
cpu_ms() {
  local stat
  read -r -a stat < "/proc/$1/stat"
  echo $(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) ))
}

# CPU time of the thread that runs main() (named "java", like the launcher's own thread, which
# only waits): start-up is sequential there, so on an idle machine with a core to spare for the
# JIT and GC threads this is about the wall time.
main_thread_cpu_ms() {
  local task stat ticks=0
  for task in /proc/"$1"/task/*; do
    if [[ "$(< "$task/comm")" == java ]]; then
      read -r -a stat < "$task/stat"
      ticks=$(( ticks + stat[13] + stat[14] ))
    fi
  done
  echo $(( ticks * 1000 / $(getconf CLK_TCK) ))
}

# One line on where the resident memory of process $1 is; $2 names the file for the NMT report.
memory_line() {
  local anon file cache nmt=""
  anon=$(awk '/^RssAnon:/ {print int($2 / 1024)}' "/proc/$1/status")
  file=$(awk '/^RssFile:/ {print int($2 / 1024)}' "/proc/$1/status")
  # The Rss lines of the mappings of the cache or archive file (each mapping's header line
  # names the file; its Rss line follows).
  cache=$(awk '/^[0-9a-f]+-[0-9a-f]+ / {in_cache = ($NF ~ /\.(aot|jsa)$/)}
               in_cache && /^Rss:/ {kb += $2} END {print int(kb / 1024)}' "/proc/$1/smaps")
  if [[ " ${jvm_options[*]} " == *NativeMemoryTracking=summary* ]]; then
    "$JCMD" "$1" VM.native_memory summary > "$2" 2>&1 || true
    nmt=$(awk '/^-? *[A-Za-z].* \(reserved=[0-9]+KB, committed=[0-9]+KB/ {
                 name = $0; sub(/^-? */, "", name); sub(/ *\(reserved.*/, "", name)
                 c = $0; sub(/.*committed=/, "", c); sub(/KB.*/, "", c)
                 if (name != "Total" && c + 0 >= 1024) printf "%s%s %d", sep, name, c / 1024; sep = ", " }' "$2")
    nmt="; NMT committed MB: $nmt"
  fi
  echo "RSS $(rss_mb "$1") MB: anonymous ${anon}, files ${file} (AOT cache or CDS archive ${cache})${nmt}"
}

# Opens $2 SSE streams to port $1 from a background shell that holds them until $3 is removed;
# returns once each has its response line.
hold_streams() {
  (
    local n fd line
    for ((n = 0; n < $2; n++)); do
      exec {fd}<>"/dev/tcp/127.0.0.1/$1"
      printf 'GET /subscribe/idle%d HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n' $((n % 100)) >&"$fd"
      IFS= read -r -t 10 line <&"$fd" && [[ "$line" == "HTTP/1.1 200"* ]] || { echo "stream $n: ${line:-no answer}" >&2; exit 1; }
    done
    echo "$2 streams open" > "$3.open"
    while [[ -e "$3" ]]; do sleep 0.2; done
  ) &
  holder=$!
  until [[ -e "$3.open" ]]; do
    kill -0 "$holder" 2>/dev/null || return 1
    sleep 0.1
  done
}

# After the first byte: memory at idle with no stream open, then with STREAMS streams.
idle_memory() {
  local flag=target/cold-start-streams.flag
  sleep "$IDLE"
  echo "  idle ${IDLE} s, 0 streams: $(memory_line "$1" "target/cold-start-nmt-$2-idle.txt")"
  rm -f "$flag.open"
  touch "$flag"
  if ! hold_streams "$MICRONAUT_SERVER_PORT" "${STREAMS:-1000}" "$flag"; then
    rm -f "$flag"
    echo "run $2: could not open ${STREAMS:-1000} streams" >&2
    return 1
  fi
  sleep "$IDLE"
  echo "  idle ${IDLE} s, ${STREAMS:-1000} streams: $(memory_line "$1" "target/cold-start-nmt-$2-streams.txt")"
  rm -f "$flag" "$flag.open"
  wait "$holder" || true
}

JCMD=$(dirname "$(command -v "$JAVA")")/jcmd
jvm_options=("$@")
if [[ -n "${CDS:-}" ]]; then
  archive=target/cold-start.jsa
  rm -f "$archive"
  start_gateway -XX:ArchiveClassesAtExit="$archive" "$@" > target/cold-start-training.log 2>&1
  first_byte $! > /dev/null
  kill -TERM $!
  wait $! || true
  jvm_options=(-XX:SharedArchiveFile="$archive" "$@")
elif [[ -n "${AOT:-}" ]]; then
  cache=target/cold-start.aot
  rm -f "$cache"
  TRAINING_PORT=$PORT TRAINING_CONTROL_PORT=$((PORT + 1)) deploy/aot-training.sh \
    "$JAVA" -XX:AOTCacheOutput="$cache" -Xlog:aot=error "$@" -jar "$JAR" > target/cold-start-training.log 2>&1 \
    || { echo "the training run failed; see target/cold-start-training.log" >&2; exit 1; }
  jvm_options=(-XX:AOTCache="$cache" "$@")
fi

echo "machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $("$JAVA" -version 2>&1 | head -1)"
echo "command: $JAVA ${jvm_options[*]} -jar $JAR"

times=()
cpus=()
mains=()
rsss=()
classes=()
next_port=$((PORT + 1))
bind_retries=0
for ((i = 1; i <= RUNS; i++)); do
  run_options=("${jvm_options[@]}")
  if [[ -n "${CLASSES:-}" ]]; then
    class_log=target/cold-start-classes-$i.log
    rm -f "$class_log"
    run_options=(-Xlog:class+load=info:file="$class_log":none "${jvm_options[@]}")
  fi
  # A port of its own for each run, and one no socket holds: the run before may leave it in
  # TIME_WAIT, and other programs' outgoing connections take local ports in this range too;
  # either made a run fail to bind.
  next_port=$((next_port + 1))
  while [[ -n "$(ss -tanH "( sport = :$next_port )" 2>/dev/null)" ]]; do next_port=$((next_port + 1)); done
  export MICRONAUT_SERVER_PORT=$next_port
  URL="http://127.0.0.1:${MICRONAUT_SERVER_PORT}/subscribe/x"
  start=$(date +%s%N)
  start_gateway "${run_options[@]}" > "target/cold-start-$i.log" 2>&1
  pid=$!
  if ! got=$(first_byte "$pid"); then
    wait "$pid" || true
    # The port can still be taken while the JVM starts (another program's outgoing connection):
    # run again on the next one.
    if grep -q 'Address already in use' "target/cold-start-$i.log" && (( bind_retries++ < 5 )); then
      echo "run $i: port $next_port was taken meanwhile; again on another" >&2
      i=$((i - 1))
      continue
    fi
    echo "run $i: the process died; see target/cold-start-$i.log" >&2
    exit 1
  fi
  read -r end cpu main rss loaded <<< "$got"
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  cpus+=("$cpu")
  mains+=("$main")
  rsss+=("$rss")
  classes+=("$loaded")
  echo "run $i: ${ms} ms (JVM CPU time ${cpu} ms, main thread ${main} ms, RSS ${rss} MB${CLASSES:+, classes ${loaded}})"
  if [[ -n "${IDLE:-}" ]]; then
    echo "  first byte: $(memory_line "$pid" "target/cold-start-nmt-$i-first-byte.txt")"
    idle_memory "$pid" "$i" || { kill -TERM "$pid"; wait "$pid" || true; exit 1; }
  fi
  kill -TERM "$pid"
  wait "$pid" || true
  if [[ -n "${CLASSES:-}" ]]; then
    # Keep what was loaded by the first byte; the shutdown after it loads more.
    head -n "$loaded" "$class_log" > "$class_log.tmp" && mv "$class_log.tmp" "$class_log"
  fi
done

summary() {
  local sorted n
  sorted=($(printf '%s\n' $2 | sort -n))
  n=${#sorted[@]}
  echo "$1: min ${sorted[0]} / median ${sorted[$((n / 2))]} / max ${sorted[$((n - 1))]} ${3:-ms} (${n} runs)"
}
summary "first SSE byte after start" "${times[*]}"
summary "JVM CPU time by then" "${cpus[*]}"
summary "main thread CPU time by then" "${mains[*]}"
summary "RSS at the first byte" "${rsss[*]}" MB
if [[ -n "${CLASSES:-}" ]]; then
  summary "classes loaded by the first byte" "${classes[*]}" classes
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
