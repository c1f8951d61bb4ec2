#!/usr/bin/env bash
# Start-up benchmark of the crate CLI, all in one run against a local server holding 20 secrets:
#   java -version          the JVM's own floor (the launcher's JVM; the default java too)
#   crate --version        JVM start plus our main
#   crate secrets list     one GET, the answer printed as a table
#   crate run -- true      one sealed retrieval of the 20 secrets, the child started and reaped
#   first run after a build: crate run -- true with no class archive yet (it is deleted before
#                          each of these runs; the background training that run starts is awaited)
# Each figure is the median wall time (and median user+sys CPU time) over RUNS runs, the commands
# taking turns; the ratios against java -version of the same run are the comparable part, and are
# checked against the targets of issue 14. Needs the server and CLI jars built (mvn -DskipTests package) and a
# PostgreSQL on 127.0.0.1:5432 (trust), else the server's embedded one.
# Usage: bench/cli-run.sh [runs] [first-runs]   (defaults 21 and 11; quote only figures of >= 11 each)
set -euo pipefail
[ -x /usr/bin/time ] || { echo "cli-run.sh needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 1; }
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-21}"
first_runs="${2:-11}"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token="crate_$(openssl rand -hex 24)"
server_pid=""
db=""
cleanup() {
  # the server exits with 143 on SIGTERM: under set -e an unguarded wait would end the clean-up here
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  # a background training the last run started would write into the cache after it is removed
  if [ -n "${cache:-}" ] && declare -F await_training >/dev/null; then await_training; fi
  if [ -n "$db" ]; then psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

env_db=()
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE crate_bench_$$" >/dev/null 2>&1; then
  db="crate_bench_$$"
  env_db=(CRATE_DB_URL="postgresql://127.0.0.1:5432/$db" CRATE_DB_USER=postgres CRATE_ROOT_KEY="$(openssl rand -base64 32)")
fi
env -u CRATE_DB_URL "${env_db[@]}" CRATE_DATA_DIR="$work/data" QUARKUS_HTTP_PORT="$port" CRATE_BOOTSTRAP_TOKEN="$token" \
  java -jar "$root/server/target/quarkus-app/quarkus-run.jar" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 900); do
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done

export XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" CRATE_SERVER="http://127.0.0.1:$port" CRATE_TOKEN="$token"
crate="$root/bin/crate"
cache="$work/cache/crate"
java25="${CRATE_JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
if [ -x "$java25" ] && [ -z "${CRATE_NO_JAVA25:-}" ]; then launcher_java="$java25"; else launcher_java="$(command -v java)"; fi

# Waits until no training of the launcher is running (its lock directory is gone).
await_training() {
  for _ in $(seq 1 600); do
    compgen -G "$cache/train-*.lock" >/dev/null || return 0
    sleep 0.2
  done
}

org=$("$crate" orgs list -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["organizations"][0]["id"])')
export CRATE_ORG="$org"
pairs=()
for i in $(seq 1 20); do pairs+=("BENCH_SECRET_$i=value-$i-$(openssl rand -hex 8)"); done
"$crate" secrets set "${pairs[@]}" >/dev/null 2>&1
await_training
"$crate" run -- sh -c 'test -n "$BENCH_SECRET_20"'   # the secrets arrive
"$crate" secrets list | grep -q BENCH_SECRET_20

# One sample: "wall_ms cpu_ms" of one command (its output discarded).
sample() {
  local f="$work/time"
  /usr/bin/time -o "$f" -f "%e %U %S" "$@" >/dev/null 2>&1 || true
  awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}' "$f"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# The commands take turns, one sample each per round, so that a change of the machine's load
# during the run weighs on all of them alike (the ratios stay comparable). The first run after a
# build is measured in the first FIRST_RUNS rounds: the archive is deleted, one run starts without
# it (and starts the background training), and the round waits for that training to finish.
names=(java_version default_java crate_version secrets_list run first_run)
for name in "${names[@]}"; do : >"$work/$name"; done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rounds=$(( runs > first_runs ? runs : first_runs ))
for round in $(seq 1 "$rounds"); do
  if [ "$round" -le "$runs" ]; then
    sample "$launcher_java" -version >>"$work/java_version"
    sample java -version >>"$work/default_java"
    sample "$crate" --version >>"$work/crate_version"
    sample "$crate" secrets list >>"$work/secrets_list"
    sample "$crate" run -- true >>"$work/run"
  fi
  if [ "$round" -le "$first_runs" ]; then
    rm -f "$cache"/cli-*.jsa
    sample "$crate" run -- true >>"$work/first_run"
    await_training
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
wall() { cut -d' ' -f1 "$work/$1" | median; }
cpu() { cut -d' ' -f2 "$work/$1" | median; }
jv_wall=$(wall java_version)

echo "runs per command: $runs (first run after a build: $first_runs); launcher: $("$crate" --version)"
echo "load average before: $load_before; after: $load_after; $(nproc) cores"
printf '%-40s %7s %7s %8s\n' "" "wall ms" "cpu ms" "wall / java"
row() { awk -v n="$1" -v w="$2" -v c="$3" -v j="$jv_wall" 'BEGIN {printf "%-40s %7d %7d %8.2f\n", n, w, c, w / j}'; }
row "java -version (launcher's JVM)" "$jv_wall" "$(cpu java_version)"
row "java -version (default java)" "$(wall default_java)" "$(cpu default_java)"
row "crate --version" "$(wall crate_version)" "$(cpu crate_version)"
row "crate secrets list (20 secrets)" "$(wall secrets_list)" "$(cpu secrets_list)"
row "crate run -- true (20 secrets)" "$(wall run)" "$(cpu run)"
row "first run after a build (no archive)" "$(wall first_run)" "$(cpu first_run)"
target() {
  awk -v n="$1" -v w="$2" -v j="$jv_wall" -v t="$3" 'BEGIN {r = w / j;
    printf "target %-34s %5.2f <= %-4s %s\n", n, r, t, (r <= t ? "met" : "NOT met")}'
}
target "crate run / java -version" "$(wall run)" 4
target "crate run / java -version (aim)" "$(wall run)" 2.5
target "crate secrets list / java -version" "$(wall secrets_list)" 3
target "first run / java -version" "$(wall first_run)" 8
