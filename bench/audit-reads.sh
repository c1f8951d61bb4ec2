#!/usr/bin/env bash
# Cost of auditing reads: sealed retrieve throughput (5 secrets per answer, EC P-256 client key) of the
# packaged server with read auditing on (the default) and off (CRATE_AUDIT_READS=false, a switch that
# exists for this benchmark), on the same database, in the same run: two server processes (warmed up
# before measuring) that take the load in alternating rounds. Prints each round and the ratio on/off of
# the medians. Needs the server jar built
# (mvn -DskipTests package) and a PostgreSQL on 127.0.0.1:5432 (trust).
# Usage: bench/audit-reads.sh [seconds per round, default 15] [concurrency, default 16] [rounds, default 3]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-15}"
concurrency="${2:-16}"
rounds="${3:-3}"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port_on=$(free_port)
port_off=$(free_port)
token="crate_$(openssl rand -hex 24)"
root_key="$(openssl rand -base64 32)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if ! { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE crate_bench_$$" >/dev/null 2>&1; }; then
  echo "bench/audit-reads.sh needs a PostgreSQL on 127.0.0.1:5432 (user postgres, trust) shared by its two servers" >&2
  exit 1
fi
start_server() {  # $1: true|false for crate.audit.reads, $2: port
  env CRATE_DB_URL="postgresql://127.0.0.1:5432/crate_bench_$$" CRATE_DB_USER=postgres CRATE_ROOT_KEY="$root_key" \
    CRATE_DATA_DIR="$work/data-$1" QUARKUS_HTTP_PORT="$2" CRATE_BOOTSTRAP_TOKEN="$token" CRATE_AUDIT_READS="$1" \
    java -jar "$root/server/target/quarkus-app/quarkus-run.jar" >>"$work/server-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$2/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "server did not start; log:" >&2; tail -50 "$work/server-$1.log" >&2; exit 1
}

start_server true "$port_on"
start_server false "$port_off"
export XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" CRATE_SERVER="http://127.0.0.1:$port_on" CRATE_TOKEN="$token"
org=$("$root/bin/crate" orgs list -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["organizations"][0]["id"])')
export CRATE_ORG="$org"
pairs=()
for i in $(seq 1 5); do pairs+=("BENCH_SECRET_$i=value-$i-$(openssl rand -hex 16)"); done
"$root/bin/crate" secrets set "${pairs[@]}" >/dev/null 2>&1
for port in "$port_on" "$port_off"; do  # JIT warm-up of both, not measured
  java "$root/bench/RetrieveLoad.java" "http://127.0.0.1:$port" "$token" "$org" 1 "$concurrency" 10 >/dev/null
done

declare -a on off
for round in $(seq 1 "$rounds"); do
  for mode in true false; do
    port=$([ "$mode" = true ] && echo "$port_on" || echo "$port_off")
    result=$(java "$root/bench/RetrieveLoad.java" "http://127.0.0.1:$port" "$token" "$org" "$seconds" "$concurrency" 2)
    rps=${result% *}; errors=${result#* }
    printf 'round %d  audit reads %-5s  %8.1f retrieves/s  (%s errors)\n' "$round" "$mode" "$rps" "$errors"
    if [ "$mode" = true ]; then on+=("$rps"); else off+=("$rps"); fi
  done
done
records=$(psql -tA -h 127.0.0.1 -U postgres -d "crate_bench_$$" -c "select count(*) from audit_events where action = 'secret.read'" 2>/dev/null || echo "?")
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m_on=$(median "${on[@]}"); m_off=$(median "${off[@]}")
echo "concurrency $concurrency, $seconds s per round, $rounds rounds; load: $(cut -d' ' -f1-3 /proc/loadavg); read records written: $records"
awk -v a="$m_on" -v b="$m_off" 'BEGIN { printf "median audit on: %.1f/s  audit off: %.1f/s  ratio on/off: %.2f\n", a, b, a / b }'
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
pids=()
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE crate_bench_$$ WITH (FORCE)" >/dev/null 2>&1 || true
