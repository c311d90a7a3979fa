#!/usr/bin/env bash
# Prints the comparison table from the result lines of bench/run.sh (one key=value line each).
#   bench/table.sh results.txt
set -euo pipefail
awk '
function v(s, l, k,   key) { key = s SUBSEP l SUBSEP k; return (key in R) ? R[key] : "-" }
function num(x) { return x == "-" || x == "" ? -1 : x + 0 }
function ratio(a, b) { a = num(a); b = num(b); return (a < 0 || b <= 0) ? "-" : sprintf("%.2f", a / b) }
function best(a, b) { a = num(a); b = num(b); return a > b ? a : b }
function row(name, g, n1, n2, r, target) { printf "| %-34s | %12s | %12s | %12s | %7s | %-22s |\n", name, g, n1, n2, r, target }
{
  s = ""; l = "";
  for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "scenario") s = kv[2]; if (kv[1] == "label") l = kv[2] }
  for (i = 1; i <= NF; i++) { split($i, kv, "="); R[s, l, kv[1]] = kv[2] }
  if ((s SUBSEP l SUBSEP "deliveries_per_s") in R && !((s SUBSEP l) in SEEN)) { SEEN[s, l] = 1; ORDER[++N] = s SUBSEP l }
  if (l ~ /^nchan/ && (s SUBSEP l SUBSEP "deliveries_per_s") in R) {
    d = num(R[s, l, "deliveries_per_s"]); c = num(v(s, l, "server_cpu_us_per_delivery"))
    if (d > num(v(s, "~nchan", "best_d"))) R[s, "~nchan", "best_d"] = d
    if (c > 0 && (num(v(s, "~nchan", "best_c")) < 0 || c < num(v(s, "~nchan", "best_c")))) R[s, "~nchan", "best_c"] = c
  }
}
END {
  printf "| %-34s | %12s | %12s | %12s | %7s | %-22s |\n", "scenario / metric", "gateway", "nchan 1w", "nchan 2w", "ratio", "target"
  print "|------------------------------------|--------------|--------------|--------------|---------|------------------------|"
  g = v("a","gateway","deliveries_per_s"); n1 = v("a","nchan-1w","deliveries_per_s"); n2 = v("a","nchan-2w","deliveries_per_s")
  row("(a) 1000 ev/s: deliveries/s", g, n1, n2, ratio(g, best(n1, n2)), "all delivered")
  row("(a) p50 ms", v("a","gateway","p50_ms"), v("a","nchan-1w","p50_ms"), v("a","nchan-2w","p50_ms"), "", "")
  g = v("a","gateway","p99_ms"); n1 = v("a","nchan-1w","p99_ms"); n2 = v("a","nchan-2w","p99_ms")
  row("(a) p99 ms", g, n1, n2, ratio(g, (num(n1) < num(n2) || num(n2) < 0) ? n1 : n2), "")
  row("(a) missed / dup", v("a","gateway","missed") "/" v("a","gateway","dup"), v("a","nchan-1w","missed") "/" v("a","nchan-1w","dup"), v("a","nchan-2w","missed") "/" v("a","nchan-2w","dup"), "", "0 / 0")
  row("(a) server CPU %", v("a","gateway","server_cpu_pct"), v("a","nchan-1w","server_cpu_pct"), v("a","nchan-2w","server_cpu_pct"), "", "")
  row("(a100) 100 ev/s: deliveries/s", v("a100","gateway","deliveries_per_s"), v("a100","nchan-1w","deliveries_per_s"), v("a100","nchan-2w","deliveries_per_s"), "", "")
  row("(a100) p50 ms", v("a100","gateway","p50_ms"), v("a100","nchan-1w","p50_ms"), v("a100","nchan-2w","p50_ms"), "", "")
  g = v("a100","gateway","p99_ms"); n1 = v("a100","nchan-1w","p99_ms"); n2 = v("a100","nchan-2w","p99_ms")
  row("(a100) p99 ms", g, n1, n2, ratio(g, (num(n1) < num(n2) || num(n2) < 0) ? n1 : n2), "")
  row("(a100) missed / dup", v("a100","gateway","missed") "/" v("a100","gateway","dup"), v("a100","nchan-1w","missed") "/" v("a100","nchan-1w","dup"), v("a100","nchan-2w","missed") "/" v("a100","nchan-2w","dup"), "", "0 / 0")
  row("(a100) server CPU %", v("a100","gateway","server_cpu_pct"), v("a100","nchan-1w","server_cpu_pct"), v("a100","nchan-2w","server_cpu_pct"), "", "")
  g = v("b","gateway","deliveries_per_s"); n1 = v("b","nchan-1w","deliveries_per_s"); n2 = v("b","nchan-2w","deliveries_per_s")
  row("(b) flat out: deliveries/s", g, n1, n2, ratio(g, best(n1, n2)), ">= 1.5 x best nchan")
  row("(b) missed / dup / cut", v("b","gateway","missed") "/" v("b","gateway","dup") "/" v("b","gateway","disconnects"), v("b","nchan-1w","missed") "/" v("b","nchan-1w","dup") "/" v("b","nchan-1w","disconnects"), v("b","nchan-2w","missed") "/" v("b","nchan-2w","dup") "/" v("b","nchan-2w","disconnects"), "", "0 (cut: counted)")
  row("(b) server CPU %", v("b","gateway","server_cpu_pct"), v("b","nchan-1w","server_cpu_pct"), v("b","nchan-2w","server_cpu_pct"), "", "")
  row("(b) client CPU %", v("b","gateway","client_cpu_pct"), v("b","nchan-1w","client_cpu_pct"), v("b","nchan-2w","client_cpu_pct"), "", "")
  g = v("a50","gateway-redis","p99_ms"); n1 = v("a50","nchan-redis","p99_ms")
  row("(a50) Redis, 2 instances: p50 ms", v("a50","gateway-redis","p50_ms"), v("a50","nchan-redis","p50_ms"), "", "", "")
  row("(a50) p99 ms", g, n1, "", ratio(g, n1), "<= nchan (ratio <= 1)")
  row("(a50) missed / dup", v("a50","gateway-redis","missed") "/" v("a50","gateway-redis","dup"), v("a50","nchan-redis","missed") "/" v("a50","nchan-redis","dup"), "", "", "0 / 0")
  row("(a50) raw PUBLISH: p99 ms", v("a50","gateway-redis-raw","p99_ms"), "", "", "", "")
  row("(cost) Redis us per publish", v("cost","publish-script","evalsha_usec_per_call"), "", "", "", "<= 25 (commandstats)")
  row("(cost) Redis main-thread CPU us", v("cost","publish-script","redis_main_cpu_usec_per_publish"), "", "", "", "")
  g = v("c","gateway","per_conn_kb"); n1 = v("c","nchan-1w","per_conn_kb")
  row("(c) RSS, 0 connections, MB", v("c","gateway","server_rss_before_mb"), v("c","nchan-1w","server_rss_before_mb"), "", "", "")
  row("(c) KB per idle connection", g, n1, "", ratio(g, n1), "<= 10 KB")
  row("(e) storm: caught up within 5 s", v("e","gateway","caught_up_within_5s") "/" v("e","gateway","conns"), v("e","nchan-1w","caught_up_within_5s") "/" v("e","nchan-1w","conns"), "", "", "all")
  g = v("e","gateway","catchup_max_ms"); n1 = v("e","nchan-1w","catchup_max_ms")
  row("(e) catch-up p50 / p99 ms", v("e","gateway","catchup_p50_ms") "/" v("e","gateway","catchup_p99_ms"), v("e","nchan-1w","catchup_p50_ms") "/" v("e","nchan-1w","catchup_p99_ms"), "", "", "")
  row("(e) catch-up max ms", g, n1, "", ratio(g, n1), "<= 5000")
  row("(e) connected / head / 1st event max ms", v("e","gateway","connected_max_ms") "/" v("e","gateway","head_max_ms") "/" v("e","gateway","first_event_max_ms"), v("e","nchan-1w","connected_max_ms") "/" v("e","nchan-1w","head_max_ms") "/" v("e","nchan-1w","first_event_max_ms"), "", "", "")
  row("(e) server / client CPU s, whole storm", v("e","gateway","server_cpu_s") "/" v("e","gateway","client_cpu_s"), v("e","nchan-1w","server_cpu_s") "/" v("e","nchan-1w","client_cpu_s"), "", "", "")
  row("(e) missed / dup / gaps", v("e","gateway","missed") "/" v("e","gateway","dup") "/" v("e","gateway","gaps"), v("e","nchan-1w","missed") "/" v("e","nchan-1w","dup") "/" v("e","nchan-1w","gaps"), "", "", "0 / 0 / 0")
  row("(overload) deliveries/s", v("overload","gateway","deliveries_per_s"), v("overload","nchan-1w","deliveries_per_s"), "", "", "")
  row("(overload) cut and resumed", v("overload","gateway","disconnects"), v("overload","nchan-1w","disconnects"), "", "", "slow ones only")
  row("(overload) missed (others/slow)", v("overload","gateway","missed") "/" v("overload","gateway","missed_by_cut"), v("overload","nchan-1w","missed") "/" v("overload","nchan-1w","missed_by_cut"), "", "", "0 / -")
  row("(overload) p99 ms (normal readers)", v("overload","gateway","p99_ms"), v("overload","nchan-1w","p99_ms"), "", "", "")
  row("(overload) server RSS MB (max)", v("overload","gateway","server_rss_mb"), v("overload","nchan-1w","server_rss_mb"), "", "", "bounded")
  row("(budget) readers missed / in gap", v("budget","gateway","missed") "/" v("budget","gateway","missed_in_gap"), "", "", "", "0 / -")
  row("(budget) reader cuts / not back", v("budget","gateway","reader_cuts") "/" v("budget","gateway","readers_not_open"), "", "", "", "- / 0")
  row("(budget) /health p99 / max ms", v("budget","gateway","probe_p99_ms") "/" v("budget","gateway","probe_max_ms"), "", "", "", "<= 100")
  row("(budget) server RSS MB (max)", v("budget","gateway","server_rss_mb"), "", "", "", "<= 512 Mi pod")
  row("(r) resume storm: replayed", v("r","gateway-redis","replayed") "/" v("r","gateway-redis","conns"), "", "", "", "all")
  row("(r) publish 201 / other", v("r","gateway-redis","publish_201") "/" v("r","gateway-redis","publish_other"), "", "", "", "all 201")
  row("(r) publish p99 ms", v("r","gateway-redis","publish_p99_ms"), "", "", "", "<= 100")
  row("(r) readiness checks failed", v("r","gateway-redis","not_ready_checks"), "", "", "", "0")
  row("(r) Redis used_memory growth MB", v("r","gateway-redis","redis_used_mb_growth_max"), "", "", "", "<= 100")
  # Every stream run, one row each, with what a delivery cost the server. Ratios are against
  # the best Nchan of the same scenario in this run: most deliveries/s, least CPU per delivery.
  print ""
  printf "| %-9s | %-18s | %9s | %12s | %6s | %8s | %8s | %8s | %8s | %6s | %8s | %6s |\n", "scenario", "server", "publ./s", "deliveries/s", "ratio", "p50 ms", "p99 ms", "pub p50", "pub p99", "CPU %", "CPU us/d", "ratio"
  print "|-----------|--------------------|-----------|--------------|--------|----------|----------|----------|----------|--------|----------|--------|"
  for (k = 1; k <= N; k++) {
    split(ORDER[k], sl, SUBSEP); s = sl[1]; l = sl[2]
    d = v(s, l, "deliveries_per_s"); c = v(s, l, "server_cpu_us_per_delivery")
    printf "| %-9s | %-18s | %9s | %12s | %6s | %8s | %8s | %8s | %8s | %6s | %8s | %6s |\n", s, l, v(s, l, "published_per_s"), d, ratio(d, v(s, "~nchan", "best_d")), v(s, l, "p50_ms"), v(s, l, "p99_ms"), v(s, l, "publish_p50_ms"), v(s, l, "publish_p99_ms"), v(s, l, "server_cpu_pct"), c, ratio(c, v(s, "~nchan", "best_c"))
  }
}' "$1"
