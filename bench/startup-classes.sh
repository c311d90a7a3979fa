#!/usr/bin/env bash
# Classes loaded from launching the gateway to the first byte of an SSE stream, counted per
# package. The count does not depend on the machine's load, unlike the start time, so it shows
# what a start-up change removed (or added) even on a busy machine.
#
#   bench/startup-classes.sh [RUNS] [JVM option...]       # default 3 runs
#   SKIP_BUILD=1 bench/startup-classes.sh 3 -Dio.netty.x=y
#   TOP=60 bench/startup-classes.sh                        # more package lines
#
# Runs bench/cold-start.sh with CLASSES=1 (same settings: JWT_SECRET set, no control port,
# local broker, and the same JAVA, CDS, AOT and PORT variables), so it also prints the start
# time, the main thread's CPU time and the RSS of each run. The packages are those of the
# first run's log, target/cold-start-classes-1.log: io.micronaut.<module> by module, every
# other name by its first two parts (io.netty, com.fasterxml, jdk.jfr, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
shift || true
CLASSES=1 bench/cold-start.sh "$RUNS" "$@"

echo "classes by package at the first byte (run 1, target/cold-start-classes-1.log):"
awk '
  { name = $1; n = split(name, part, ".")
    group = (part[1] == "io" && part[2] == "micronaut" && n > 3) ? part[1] "." part[2] "." part[3] \
          : (n > 2) ? part[1] "." part[2] : name
    count[group]++; total++ }
  END { for (g in count) printf "%6d  %s\n", count[g], g; printf "%6d  %s\n", total, "(total)" }
' target/cold-start-classes-1.log | sort -rn | head -n "${TOP:-40}"
