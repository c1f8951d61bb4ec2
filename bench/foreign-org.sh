#!/usr/bin/env bash
# Does an org id the caller cannot see answer alike whether the org exists or not? Starts the packaged
# server on a fresh database of the local PostgreSQL, creates a second org, and sends, taking turns,
# GET /organization/{id}/secrets with the default org's admin key for (a) that existing foreign org
# and (b) a random id, one request at a time. Prints the median and p90 of curl's time_total for each.
#
# Needs: java 17+, curl, jq, openssl, psql, a PostgreSQL on 127.0.0.1:5432 (trust, user postgres).
# Usage: bench/foreign-org.sh [requests per kind, default 300]
# Environment: BENCH_JAR another server build's quarkus-run.jar (default: server/target/quarkus-app)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-300}"
jar="${BENCH_JAR:-$root/server/target/quarkus-app/quarkus-run.jar}"
[ -f "$jar" ] || { echo "no server jar at $jar (mvn -pl server -am package -DskipTests)" >&2; exit 1; }
work="$(mktemp -d)"
db="crate_bench_foreign_$$"
token="crate_$(openssl rand -hex 24)"
port=$((20000 + RANDOM % 12000))
server_pid=""
psql_admin() { psql -q -X -h 127.0.0.1 -U postgres -d postgres "$@"; }
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql_admin -c "CREATE DATABASE $db" >/dev/null
env -u CRATE_DB_URL -u CRATE_ROOT_KEY QUARKUS_HTTP_PORT="$port" CRATE_BOOTSTRAP_TOKEN="$token" \
  CRATE_DB_URL="postgresql://127.0.0.1:5432/$db" CRATE_DB_USER=postgres \
  CRATE_ROOT_KEY="$(openssl rand -base64 32)" CRATE_DATA_DIR="$work/data" \
  java -jar "$jar" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 1200); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break
  kill -0 "$server_pid" 2>/dev/null || { tail -40 "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
base="http://127.0.0.1:$port"
foreign=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"name\":\"foreign-$$\"}" "$base/organizations" | jq -r .id)
# the caller: an admin key of the default org only (the bootstrap token may see every org it created)
default=$(curl -fsS -H "Authorization: Bearer $token" "$base/organizations" \
  | jq -r '.organizations[] | select(.name == "default") | .id')
key=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"prober","role":"admin"}' "$base/organization/$default/api-keys" | jq -r .key)
probe() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $key" "$base/organization/$1/secrets"; }
for _ in $(seq 1 50); do probe "$foreign" >/dev/null; probe "$(cat /proc/sys/kernel/random/uuid)" >/dev/null; done
: >"$work/a"; : >"$work/b"
for _ in $(seq 1 "$n"); do
  probe "$foreign" >>"$work/a"
  probe "$(cat /proc/sys/kernel/random/uuid)" >>"$work/b"
done
stats() {  # $1 label, $2 file
  awk '{ print $1 }' "$2" | sort | uniq -c | tr '\n' ' ' >"$work/codes"
  awk '{ print $2 * 1000 }' "$2" | sort -n | awk -v label="$1" -v codes="$(cat "$work/codes")" \
    '{ v[NR] = $1 } END { printf "%-26s n=%d median %.2f ms  p90 %.2f ms  (status: %s)\n", label, NR, v[int((NR + 1) / 2)], v[int(NR * 0.9)], codes }'
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
stats "existing foreign org" "$work/a"
stats "random id" "$work/b"
