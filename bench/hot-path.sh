#!/usr/bin/env bash
# Hot-path benchmark: throughput and latency of list, retrieve and store against the packaged
# server on a fresh database of the local PostgreSQL, as ratios to floors measured in the same run:
#   pgbench -S, 32 clients, on the same PostgreSQL   floor of list and retrieve
#   openssl speed -multi $(nproc) rsa3072 (sign/s)   floor of store (one RSA private op per store)
# then wrk (32 connections, 2 threads, --latency) per scenario after a warm-up, the server's RSS
# (peak VmHWM and after the load) and the start-to-ready time of a restart on the embedded
# database. Prints one table. Read auditing is on (the default).
#
# Needs: java 17+, curl, jq, openssl, xxd, wrk, psql and pgbench, a PostgreSQL on 127.0.0.1:5432
# (trust auth, user postgres). Builds the server jar only when it is missing.
# Usage: bench/hot-path.sh [seconds per scenario, default 15] [warm-up seconds, default 10]
# The servers it starts get the JVM options bin/crate-server starts them with (its fixed memory budget,
# docs/OPERATIONS.md section 3), read from that script, so the RSS printed is what users get.
# Environment: BENCH_JAVA_OPTS   extra JVM options for the measured server (e.g. a JFR recording),
#                                after the launcher's (so -Xmx and the like given here win)
#              BENCH_LAUNCHER_OPTS=0  leaves the launcher's options out (the JVM's own ergonomics)
#              BENCH_JAR         another server build's quarkus-run.jar
#              BENCH_CONNECTIONS wrk connections and pgbench clients (default 32)
#              BENCH_SCENARIOS   some of: list retrieve-ec retrieve-rsa retrieve-one store (default all)
#              BENCH_JFR_DIR     a directory: one JFR recording (settings=profile) per measured scenario,
#                                started with jcmd after the warm-up (jfr print --events jdk.ExecutionSample)
#              BENCH_SKIP_RESTART=1 skips the embedded-database restart timing
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-15}"
warmup="${2:-10}"
connections="${BENCH_CONNECTIONS:-32}"
jar="${BENCH_JAR:-$root/server/target/quarkus-app/quarkus-run.jar}"

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; } || true
  fi
fi
missing=""
for tool in java curl jq openssl xxd basenc wrk psql pgbench pg_isready; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "bench/hot-path.sh: missing:$missing (Debian: apt-get install -y wrk jq xxd postgresql-client)" >&2
  exit 1
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "bench/hot-path.sh needs a PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth)" >&2
  exit 1
fi
if [ ! -f "$jar" ]; then
  echo "building the server (mvn -B -pl server -am package -DskipTests)..." >&2
  (cd "$root" && mvn -B -q -pl server -am package -DskipTests)
fi

# The launcher's default options, from its own assignment (two lines), not a copy.
default_java_opts=""
if [ "${BENCH_LAUNCHER_OPTS:-1}" != 0 ]; then
  eval "$(sed -n '/^default_java_opts=/,/[^\\]$/p' "$root/bin/crate-server")"
fi
server_java_opts="$default_java_opts ${BENCH_JAVA_OPTS:-}"

work="$(mktemp -d)"
db="crate_bench_hot_$$"
pgb_db="crate_bench_pgbench_$$"
token="crate_$(openssl rand -hex 24)"
root_key="$(openssl rand -base64 32)"
free_port() {  # a port nothing listens on, from the range above the usual ephemeral ones' start
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "no free port found" >&2; exit 1
}
port=$(free_port)
server_pid=""
psql_admin() { psql -q -X -h 127.0.0.1 -U postgres -d postgres "$@"; }
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  trap - EXIT INT TERM
  stop_server
  psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  psql_admin -c "DROP DATABASE IF EXISTS $pgb_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

# Starts the server in the background with the given extra environment; $server_pid is the JVM.
start_server() {  # $1: log file, then env assignments
  local log="$1"; shift
  # shellcheck disable=SC2086
  env -u CRATE_DB_URL -u CRATE_ROOT_KEY -u QUARKUS_DATASOURCE_REACTIVE_URL -u QUARKUS_DATASOURCE_JDBC_URL \
    QUARKUS_HTTP_PORT="$port" CRATE_BOOTSTRAP_TOKEN="$token" "$@" \
    java $server_java_opts -jar "$jar" >>"$log" 2>&1 &
  server_pid=$!
}
wait_ready() {  # $1: log file; prints milliseconds from $2 (epoch ns) to ready
  for _ in $(seq 1 1200); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready"; then
      echo $(( ($(date +%s%N) - $2) / 1000000 ))
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "server did not become ready; log:" >&2
  tail -40 "$1" >&2
  exit 1
}

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
psql_admin -c "CREATE DATABASE $db" >/dev/null
psql_admin -c "CREATE DATABASE $pgb_db" >/dev/null

# Floors, measured in this run.
echo "floor: pgbench -S, $connections clients, ${seconds} s..." >&2
pgbench -q -i -s 10 -h 127.0.0.1 -U postgres "$pgb_db" >/dev/null 2>&1
pgbench_tps=$(pgbench -S -n -c "$connections" -j 2 -T "$seconds" -h 127.0.0.1 -U postgres "$pgb_db" 2>/dev/null \
  | awk '/^tps/ { print $3; exit }')
pgbench_tps=${pgbench_tps%.*}
psql_admin -c "DROP DATABASE $pgb_db WITH (FORCE)" >/dev/null
echo "floor: openssl speed -multi $(nproc) rsa3072..." >&2
rsa_ops=$(openssl speed -seconds 10 -multi "$(nproc)" rsa3072 2>/dev/null | awk '/^rsa 3072 bits/ { print $6; exit }')
rsa_ops=${rsa_ops%.*}

# The server, on the fresh database.
start_server "$work/server.log" CRATE_DB_URL="postgresql://127.0.0.1:5432/$db" CRATE_DB_USER=postgres \
  CRATE_ROOT_KEY="$root_key" CRATE_DATA_DIR="$work/data"
wait_ready "$work/server.log" "$(date +%s%N)" >/dev/null
base="http://127.0.0.1:$port"
api() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
org=$(api "$base/organizations" | jq -r '.organizations[] | select(.name == "default") | .id')
api "$base/organization/$org/secrets/public-key" | jq -r .public_key_pem > "$work/org.pem"

# 20 secrets in dev, each sealed with RSA-OAEP-256 (SHA-256, MGF1-SHA-256) and bound to its destination
# (the label crate/v1/<org>/<env>/<name>, as hex), as docs/API.md, section 6 shows.
seal() {
  printf '%s' "$2" | openssl pkeyutl -encrypt -pubin -inkey "$work/org.pem" \
    -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 \
    -pkeyopt "rsa_oaep_label:$(printf 'crate/v1/%s/dev/%s' "$org" "$1" | od -An -tx1 | tr -d ' \n')" \
    | base64 | tr -d '\n'
}
for i in $(seq -w 1 20); do
  jq -n --arg name "BENCH_SECRET_$i" --arg value "$(seal "BENCH_SECRET_$i" "value-$i-$(openssl rand -hex 16)")" \
    '{name: $name, environment: "dev", encrypted_value: $value, sealed: true, tags: ["bench"]}' > "$work/put.json"
  api -X PUT --data-binary "@$work/put.json" "$base/organization/$org/secrets" >/dev/null
done

# Client keys for the answers: EC P-256 and RSA-3072 public JWKs (private keys never needed: the
# answers are not opened, so client cost stays out of the measurement).
b64url() { basenc --base64url | tr -d '=\n'; }
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ec.key" 2>/dev/null
openssl pkey -in "$work/ec.key" -pubout -outform DER 2>/dev/null | tail -c 64 > "$work/ec.xy"
ec_x=$(head -c 32 "$work/ec.xy" | b64url)
ec_y=$(tail -c 32 "$work/ec.xy" | b64url)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/rsa.key" 2>/dev/null
rsa_n=$(openssl rsa -in "$work/rsa.key" -noout -modulus 2>/dev/null | cut -d= -f2 | xxd -r -p | b64url)
jq -n --arg x "$ec_x" --arg y "$ec_y" \
  '{environment: "dev", client_public_jwk: {kty: "EC", crv: "P-256", x: $x, y: $y}}' > "$work/retrieve-ec.json"
jq -n --arg n "$rsa_n" \
  '{environment: "dev", client_public_jwk: {kty: "RSA", n: $n, e: "AQAB"}}' > "$work/retrieve-rsa.json"
jq '. + {names: ["BENCH_SECRET_07"]}' "$work/retrieve-ec.json" > "$work/retrieve-one.json"
# The store scenario's bodies: a value is bound to its name, so one body per name, one per line, in
# the order hot-path.lua picks them (wrk thread 1's 64 names, then thread 2's).
for t in 1 2; do
  for k in $(seq 0 63); do
    jq -cn --arg name "BENCH_STORE_${t}_$k" --arg value "$(seal "BENCH_STORE_${t}_$k" "stored-$(openssl rand -hex 16)")" \
      '{name: $name, environment: "dev", encrypted_value: $value, sealed: true}'
  done
done > "$work/store.json"
count=$(api -X POST --data-binary "@$work/retrieve-ec.json" "$base/organization/$org/secrets/retrieve" | jq -r '.sealed_payload | split(".") | length')
[ "$count" = 5 ] || { echo "retrieve did not answer a JWE" >&2; exit 1; }

# One wrk run: prints "RESULT rps p50 p99 non2xx socket_errors requests".
run_wrk() {  # $1 method, $2 path, $3 body file ('' for none), $4 seconds, $5 store names
  BENCH_TOKEN="$token" BENCH_METHOD="$1" BENCH_PATH="$2" BENCH_BODY_FILE="$3" BENCH_STORE_NAMES="${5:-0}" \
    wrk -t 2 -c "$connections" -d "${4}s" --timeout 10s --latency -s "$root/bench/hot-path.lua" "$base" \
    > "$work/wrk.out" 2>&1 || true
  grep '^RESULT' "$work/wrk.out" || { echo "wrk failed:" >&2; cat "$work/wrk.out" >&2; exit 1; }
}

declare -a rows
wanted="${BENCH_SCENARIOS:-list retrieve-ec retrieve-rsa retrieve-one store}"
scenario() {  # $1 key, then: name, method, path, body file, floor name, floor value, min ratio, max p99 ms, store names
  local key="$1"
  case " $wanted " in *" $key "*) ;; *) return 0 ;; esac
  shift
  echo "$(date -u +%T) scenario $1: warm-up ${warmup} s, then ${seconds} s..." >&2
  run_wrk "$2" "$3" "$4" "$warmup" "${9:-0}" >/dev/null
  local result rps p50 p99 bad socket jfr=""
  if [ -n "${BENCH_JFR_DIR:-}" ]; then
    jfr="$key"
    jcmd "$server_pid" JFR.start name="$jfr" settings=profile filename="$BENCH_JFR_DIR/$jfr.jfr" >/dev/null
  fi
  result=$(run_wrk "$2" "$3" "$4" "$seconds" "${9:-0}")
  if [ -n "$jfr" ]; then jcmd "$server_pid" JFR.stop name="$jfr" >/dev/null; fi
  read -r _ rps p50 p99 bad socket _ <<<"$result"
  rows+=("$(awk -v n="$1" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v fname="$5" -v floor="$6" \
    -v min="$7" -v maxp99="$8" -v bad="$bad" -v socket="$socket" 'BEGIN {
      ratio = rps / floor
      target = ""; met = "-"
      if (min != "") { target = sprintf(">= %.2fx", min); met = (ratio >= min) ? "yes" : "no" }
      if (maxp99 != "") { target = target sprintf(", p99 <= %d ms", maxp99); if (p99 > maxp99) met = "no" }
      if (bad + socket > 0) met = "no"
      if (target == "") target = "-"
      printf "| %s | %.0f | %.1f ms | %.1f ms | %d / %d | %s %s | %.3f | %s | %s |", n, rps, p50, p99, bad, socket, fname, floor, ratio, target, met
    }')")
}
secrets_path="/organization/$org/secrets"
scenario list "list (GET ?env=dev, 20 items)" GET "$secrets_path?env=dev" "" "pgbench -S" "$pgbench_tps" 0.25 ""
scenario retrieve-ec "retrieve 20, EC P-256 key" POST "$secrets_path/retrieve" "$work/retrieve-ec.json" "pgbench -S" "$pgbench_tps" 0.10 25
scenario retrieve-rsa "retrieve 20, RSA-3072 key" POST "$secrets_path/retrieve" "$work/retrieve-rsa.json" "pgbench -S" "$pgbench_tps" "" ""
scenario retrieve-one "retrieve 1, EC P-256 key" POST "$secrets_path/retrieve" "$work/retrieve-one.json" "pgbench -S" "$pgbench_tps" "" ""
scenario store "store (PUT, sealed RSA-OAEP)" PUT "$secrets_path" "$work/store.json" "openssl rsa3072 sign/s" "$rsa_ops" 0.5 50 64
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")
rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop_server

# Start-to-ready of a restart on the embedded database (first start creates it, not timed).
restart_ms="skipped"
if [ "${BENCH_SKIP_RESTART:-0}" != 1 ]; then
  echo "restart on the embedded database..." >&2
  start_server "$work/embedded.log" CRATE_DATA_DIR="$work/embedded"
  wait_ready "$work/embedded.log" "$(date +%s%N)" >/dev/null
  stop_server
  t0=$(date +%s%N)
  start_server "$work/embedded.log" CRATE_DATA_DIR="$work/embedded"
  restart_ms="$(wait_ready "$work/embedded.log" "$t0") ms"
  stop_server
fi

echo
echo "$(date -u +%F) $(nproc) cores, $(java -version 2>&1 | head -1), load after: $load_after"
echo "floors: pgbench -S ($connections clients) $pgbench_tps tps; openssl speed -multi $(nproc) rsa3072 $rsa_ops sign/s"
echo "server JVM options:${server_java_opts:- (none)}"
echo "wrk: $connections connections, 2 threads, ${seconds} s per scenario after ${warmup} s of warm-up"
echo
echo "| scenario | req/s | p50 | p99 | non-2xx / socket errors | floor | ratio | target | met? |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
awk -v h="$hwm_kb" -v r="$rss_kb" 'BEGIN { printf "| server RSS | peak (VmHWM) %d MB, after load %d MB | | | | | | <= 300 MB | %s |\n", h / 1024, r / 1024, (h / 1024 <= 300) ? "yes" : "no" }'
echo "| restart to ready, embedded PostgreSQL | $restart_ms | | | | | | | |"
