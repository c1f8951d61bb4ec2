#!/usr/bin/env bash
# Key-rotation benchmark: an org-key re-wrap of N secrets (default 10 000) and a root-key rotation
# over M organizations (default 100), against the packaged server on a real PostgreSQL.
#   baseline (same run): one retrieve of all N secrets (unwraps N data keys and decrypts N values;
#                        the server's page bound is raised to N for it)
#   org-key rotation:    POST .../keys/rotate {"tier":"org"} until the old version is retired
#   root-key rotation:   restart with a new root key (old one as CRATE_ROOT_KEY_PREVIOUS), POST
#                        /operator/keys/root/rotate until the old kid is no longer needed
# Seeding goes through the API (sealed RSA-OAEP writes, 8 at a time), so every stored blob is real.
# Needs the server jar (mvn -DskipTests package), python3 with 'cryptography' and 'requests', and a
# PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres.
# Usage: bench/rotation.sh [secrets] [orgs] [batch-size]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secrets="${1:-10000}"
orgs="${2:-100}"
batch="${3:-500}"
work="$(mktemp -d)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token="crate_$(openssl rand -hex 24)"
db="crate_bench_rotation_$$"
old_key="$(openssl rand -base64 32)"
new_key="$(openssl rand -base64 32)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi
}
cleanup() {
  stop_server
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null

start_server() { # extra env assignments as arguments
  env -u CRATE_ROOT_KEY_PREVIOUS CRATE_DB_URL="postgresql://127.0.0.1:5432/$db" CRATE_DB_USER=postgres \
    CRATE_DATA_DIR="$work/data" QUARKUS_HTTP_PORT="$port" CRATE_BOOTSTRAP_TOKEN="$token" \
    CRATE_ROTATION_CHECK_INTERVAL=1s CRATE_ROTATION_BATCH_SIZE="$batch" CRATE_ORGANIZATIONS_CREATE_PER_HOUR=0 \
    CRATE_SECRETS_RETRIEVE_MAX_PAGE="$secrets" "$@" \
    java -jar "$root/server/target/quarkus-app/quarkus-run.jar" >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 900); do
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "server not ready" >&2; tail -50 "$work/server.log" >&2; exit 1
}

start_server CRATE_ROOT_KEY="$old_key"
export BENCH_URL="http://127.0.0.1:$port" BENCH_TOKEN="$token" BENCH_SECRETS="$secrets" BENCH_ORGS="$orgs"
python3 - <<'PY'
import base64, os, time, concurrent.futures, requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
url, token = os.environ["BENCH_URL"], os.environ["BENCH_TOKEN"]
n, orgs = int(os.environ["BENCH_SECRETS"]), int(os.environ["BENCH_ORGS"])
s = requests.Session(); s.headers.update({"Authorization": "Bearer " + token})
org = s.get(url + "/organizations").json()["organizations"][0]["id"]
pem = s.get(f"{url}/organization/{org}/secrets/public-key").json()["public_key_pem"]
key = serialization.load_pem_public_key(pem.encode())
oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
def store(i):
    sealed = base64.b64encode(key.encrypt(f"value-{i}".encode(), oaep)).decode()
    r = requests.put(f"{url}/organization/{org}/secrets", headers={"Authorization": "Bearer " + token},
                     json={"name": f"BENCH_{i}", "environment": "dev", "encrypted_value": sealed, "sealed": True})
    r.raise_for_status()
t = time.time()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    list(pool.map(store, range(n)))
print(f"seeded {n} secrets in {time.time() - t:.1f} s")
t = time.time()
for i in range(orgs):
    s.post(url + "/organizations", json={"name": f"bench-org-{i}"}).raise_for_status()
print(f"created {orgs} more organizations in {time.time() - t:.1f} s")
with open(os.environ.get("BENCH_ORG_FILE", "/dev/null"), "w") as f:
    f.write(org)
PY
org=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/organizations" | python3 -c 'import json,sys; print([o["id"] for o in json.load(sys.stdin)["organizations"] if o["name"]=="default"][0])')

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
status() { curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port$1"; }

# Baseline: one sealed retrieve of every secret, with an EC P-256 client key (median of 3).
baseline=$(python3 - <<'PY'
import json, os, time, requests
from cryptography.hazmat.primitives.asymmetric import ec
url, token = os.environ["BENCH_URL"], os.environ["BENCH_TOKEN"]
h = {"Authorization": "Bearer " + token}
org = [o for o in requests.get(url + "/organizations", headers=h).json()["organizations"] if o["name"] == "default"][0]["id"]
import base64
def b64(n): return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()
times = []
for _ in range(3):
    k = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "x": b64(k.x), "y": b64(k.y)}
    t = time.time()
    r = requests.post(f"{url}/organization/{org}/secrets/retrieve", headers=h, json={"environment": "dev", "client_public_jwk": jwk})
    r.raise_for_status()
    times.append((time.time() - t) * 1000)
print(int(sorted(times)[1]))
PY
)
echo "baseline: retrieve of all $secrets secrets: ${baseline} ms"

t0=$(date +%s%N)
curl -fs -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"tier":"org"}' \
  "http://127.0.0.1:$port/organization/$org/keys/rotate" >/dev/null
until status "/organization/$org/keys" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if not d["rewrap"]["running"] else 1)'; do sleep 0.05; done
org_ms=$(ms "$t0")
db_org_ms=$(psql -At -h 127.0.0.1 -U postgres -d "$db" -c "select round(extract(epoch from finished_at - started_at) * 1000) from key_rotations where tier = 'org' and state = 'done' order by started_at desc limit 1")
echo "org-key rotation, $secrets data keys re-wrapped (batch $batch): ${org_ms} ms wall, ${db_org_ms} ms start-to-retire in the database"

stop_server
kid_count=$(psql -At -h 127.0.0.1 -U postgres -d "$db" -c "select count(*) from org_keys where state <> 'retired'")
start_server CRATE_ROOT_KEY="$new_key" CRATE_ROOT_KEY_PREVIOUS="$old_key"
t0=$(date +%s%N)
curl -fs -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$port/operator/keys/root/rotate" >/dev/null
until status "/operator/keys/root" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["no_longer_needed"] else 1)'; do sleep 0.05; done
root_ms=$(ms "$t0")
db_root_ms=$(psql -At -h 127.0.0.1 -U postgres -d "$db" -c "select round(extract(epoch from finished_at - started_at) * 1000) from key_rotations where tier = 'root' and state = 'done' order by started_at desc limit 1")
echo "root-key rotation, $kid_count org keys re-wrapped: ${root_ms} ms wall, ${db_root_ms} ms start-to-done in the database"

python3 - "$baseline" "$org_ms" "$root_ms" "$secrets" <<'PY'
import sys
base, org, root, n = map(float, sys.argv[1:])
print(f"ratios: org re-wrap / retrieve-all = {org / base:.2f}; per data key {org / n * 1000:.0f} us; root rotation / retrieve-all = {root / base:.2f}")
PY
if grep -q "$old_key\|$new_key" "$work/server.log"; then echo "LEAK: a root key appears in the server log" >&2; exit 1; fi
