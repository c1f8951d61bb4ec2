# Shared by the .ci/*-check.sh scripts: the packaged server on a private embedded database in a
# scratch directory that is removed, with the server, when the script exits.
# Source it after setting `name` (the prefix of every message).

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/server/target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || { echo "$name: $jar missing; run mvn verify (or mvn -DskipTests package) first" >&2; exit 1; }

scratch="$(mktemp -d -t "crate-$name.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
started=$(date +%s)

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# start_server PORT [VAR=value ...]: starts the packaged server on 127.0.0.1:PORT with its data in
# $scratch/data and the extra environment given, and waits until it is ready (3 minutes at most).
start_server() {
  local port="$1"
  shift
  env -u CRATE_DB_URL -u QUARKUS_DATASOURCE_REACTIVE_URL CRATE_DATA_DIR="$scratch/data" QUARKUS_HTTP_PORT="$port" \
    "$@" java -jar "$jar" >"$scratch/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 900); do
    if curl -fsS "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/server.log" >&2; echo "$name: server exited" >&2; exit 1; }
    sleep 0.2
  done
  echo "$name: server not ready" >&2
  exit 1
}

passed() {
  echo "$name: passed in $(( $(date +%s) - started )) s"
}
