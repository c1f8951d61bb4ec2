#!/usr/bin/env bash
# Start-up benchmark of the crate CLI: median wall time of
#   crate run -- true     (one sealed retrieval of 20 secrets from a local server)
#   crate --version       (the CLI's floor: JVM start plus our main)
#   java -version         (the JVM's own floor)
# measured in the same run, with the ratios printed. Needs the server and CLI jars built
# (mvn -DskipTests package) and a PostgreSQL on 127.0.0.1:5432 (trust), else the server's
# embedded one. Usage: bench/cli-run.sh [runs]   (default 21)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-21}"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token="crate_$(openssl rand -hex 24)"
server_pid=""
bench_db=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$bench_db" ]; then psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $bench_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

env_db=()
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE crate_bench_$$" >/dev/null 2>&1; then
  bench_db="crate_bench_$$"
  env_db=(CRATE_DB_URL="postgresql://127.0.0.1:5432/$bench_db" CRATE_DB_USER=postgres CRATE_ROOT_KEY="$(openssl rand -base64 32)")
fi
env -u CRATE_DB_URL "${env_db[@]}" CRATE_DATA_DIR="$work/data" QUARKUS_HTTP_PORT="$port" CRATE_BOOTSTRAP_TOKEN="$token" \
  java -jar "$root/server/target/quarkus-app/quarkus-run.jar" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done

export XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" CRATE_SERVER="http://127.0.0.1:$port" CRATE_TOKEN="$token"
crate="$root/bin/crate"
org=$("$crate" orgs list -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["organizations"][0]["id"])')
export CRATE_ORG="$org"
pairs=()
for i in $(seq 1 20); do pairs+=("BENCH_SECRET_$i=value-$i-$(openssl rand -hex 8)"); done
"$crate" secrets set "${pairs[@]}" >/dev/null 2>&1
"$crate" run -- true            # first run trains the CDS archive / AOT cache in the background
sleep 15
"$crate" run -- sh -c 'test -n "$BENCH_SECRET_20"'

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
measure() {
  for _ in $(seq 1 "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
  done | median
}
java_version_ms=$(measure java -version)
version_ms=$(measure "$crate" --version)
run_ms=$(measure "$crate" run -- true)
jvm=$("$crate" --version)
echo "runs per command: $runs; launcher JVM: $jvm; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-32s %6s ms\n' "java -version (default java)" "$java_version_ms" "crate --version" "$version_ms" \
  "crate run -- true (20 secrets)" "$run_ms"
awk -v v="$version_ms" -v j="$java_version_ms" -v r="$run_ms" 'BEGIN {
  printf "ratio crate --version / java -version: %.2f\n", v / j
  printf "ratio crate run / java -version:       %.2f\n", r / j
  printf "ratio crate run / crate --version:     %.2f\n", r / v }'
