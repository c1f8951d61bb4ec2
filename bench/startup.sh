#!/usr/bin/env bash
# Start-up benchmark: the time from starting a launcher to GET /q/health/ready answering UP, on a
# restart of the server on its embedded PostgreSQL (a kept data directory; the first start, which
# makes it, is not timed). Several set-ups take turns round by round (A B A B ...), so load from
# elsewhere falls on each alike. Prints, per set-up, min / median / max of restart-to-ready and the
# median time from the launch to each phase mark in the server's log:
#   pg       "embedded PostgreSQL started"     the embedded database answers (CrateMain)
#   crypto   CRATE-0050                        Quarkus' runtime init is done, start-up observers begin
#   keys     CRATE-0010                        root-key check and bootstrap done
#   started  "started in"                      Quarkus says it started (the HTTP port listens)
#   ready    /q/health/ready is UP             (the measured time)
# and the CPU time (user + sys, every thread) and RSS of the JVM when it became ready: under load from
# elsewhere the wall times stretch, the CPU time much less.
# Needs: bash, curl, GNU date; the built server (mvn -DskipTests package).
# Usage: bench/startup.sh [rounds, default 7]
# Environment: STARTUP_SETUPS   one set-up per line: NAME LAUNCHER [VAR=value ...]; the default compares
#                               bin/crate-server on Java 25 (when installed) with the same on the PATH's java:
#                                 java25 bin/crate-server
#                                 java17 bin/crate-server CRATE_NO_JAVA25=1
#              STARTUP_KEEP=1   keeps the temporary directory (data directories, logs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-7}"
setups="${STARTUP_SETUPS:-"java25 $root/bin/crate-server
java17 $root/bin/crate-server CRATE_NO_JAVA25=1"}"

for tool in curl date awk sort; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/startup.sh: $tool is missing" >&2; exit 1; }
done
work="$(mktemp -d)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 2400); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
cleanup() {
  stop_server
  if [ "${STARTUP_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "bench/startup.sh: no free port found" >&2; exit 1
}

# start NAME LOG: starts set-up NAME on its own data directory and port; sets server_pid, port, t0 (epoch ms)
start() {
  local name="$1" log="$2" line launcher
  line="$(printf '%s\n' "$setups" | awk -v n="$name" '$1 == n')"
  read -r _ launcher vars <<<"$line"
  port="$(free_port)"
  t0=$(date +%s%3N)
  # shellcheck disable=SC2086
  env $vars CRATE_DATA_DIR="$work/$name" QUARKUS_HTTP_PORT="$port" \
    setsid "$launcher" >"$log" 2>&1 </dev/null &
  server_pid=$!
}

# await_ready LOG: prints the milliseconds from t0 to readiness
await_ready() {
  for _ in $(seq 1 12000); do
    if curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/q/health/ready"; then
      echo $(( $(date +%s%3N) - t0 ))
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.02
  done
  echo "bench/startup.sh: the server did not become ready; its log:" >&2
  tail -40 "$1" >&2
  exit 1
}

# marks LOG: "pg crypto keys started" as milliseconds after t0 (- when a mark is missing)
marks() {
  local out="" pattern line ts
  for pattern in "embedded PostgreSQL started" "CRATE-0050" "CRATE-0010" "started in"; do
    line="$(grep -m1 -- "$pattern" "$1" || true)"
    ts="$(printf '%s' "$line" | grep -oE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}[,.][0-9]{3}' || true)"
    if [ -n "$ts" ]; then
      out="$out $(( $(date -d "${ts/,/.}" +%s%3N) - t0 ))"
    else
      out="$out -"
    fi
  done
  echo "$out"
}

names="$(printf '%s\n' "$setups" | awk 'NF { print $1 }')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for name in $names; do
  echo "$name: first start (creates the data directory, not timed)..." >&2
  start "$name" "$work/$name-first.log"
  await_ready "$work/$name-first.log" >/dev/null
  stop_server
done
for round in $(seq 1 "$rounds"); do
  for name in $names; do
    log="$work/$name-$round.log"
    start "$name" "$log"
    ms=$(await_ready "$log")
    rss_mb=$(awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server_pid/status" 2>/dev/null || echo -)
    # CPU time (user + sys, all threads) the JVM used until ready: under load the steadier figure
    cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) * 1000 / hz }' \
      "/proc/$server_pid/stat" 2>/dev/null || echo -)
    stop_server
    echo "$name $ms $(marks "$log") ${rss_mb:--} ${cpu_ms:--}" >>"$work/results"
    echo "round $round $name: ready after $ms ms" >&2
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }'; }
echo
echo "$(date -u '+%F %H:%M') UTC, $(nproc) cores, load after: $load_after, $rounds restarts per set-up"
echo
echo "| set-up | ready min | median | max | pg started | CRATE-0050 | CRATE-0010 | \"started in\" | JVM CPU to ready | RSS at ready |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for name in $names; do
  col() { awk -v n="$name" -v c="$1" '$1 == n && $c != "-" { print $c }' "$work/results" | median; }
  readies="$(awk -v n="$name" '$1 == n { print $2 }' "$work/results" | sort -n)"
  printf '| %s | %s ms | %s ms | %s ms | %s | %s | %s | %s | %s ms | %s MB |\n' "$name" \
    "$(head -1 <<<"$readies")" "$(median <<<"$readies")" "$(tail -1 <<<"$readies")" \
    "$(col 3)" "$(col 4)" "$(col 5)" "$(col 6)" "$(col 8)" "$(col 7)"
done
echo
echo "phase marks: median milliseconds from the launch to the first log line carrying them"
