#!/usr/bin/env python3
"""Counts the PostgreSQL statements of one list, retrieve (20 and 1) and store request (docs/BENCHMARKS.md).

usage: bench/statements.py <server url> <admin api key> <database> <postgresql log file> [-v]

The server runs on its own scratch database with every statement logged, for example
  psql -h 127.0.0.1 -U postgres -c "create database crate_stmts" \
       -c "alter database crate_stmts set log_statement = 'all'"
  CRATE_DB_URL=postgresql://127.0.0.1:5432/crate_stmts CRATE_DB_USER=postgres CRATE_ROOT_KEY=... \
  CRATE_BOOTSTRAP_TOKEN=<admin api key> bin/crate-server
and the log file is the server's (on Debian /var/log/postgresql/postgresql-<version>-main.log, whose
line prefix names the database). Each request runs twice to warm up, then three times between marker
queries; the statements of the third run are printed. Statements of the scheduled jobs may fall into
a window: they are printed too, so such a run is easy to tell. Needs python3-cryptography and psql.
"""
import base64, json, os, subprocess, sys, time, urllib.request
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, ec

server, token, db, log = sys.argv[1:5]
run = os.urandom(4).hex()  # markers of this run only: the log keeps earlier runs

def call(method, path, body=None):
    req = urllib.request.Request(server + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        data = r.read()
        return r.status, (json.loads(data) if data else None)

def marker(text):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-Atqc", f"select '{text}'"], check=True,
                   stdout=subprocess.DEVNULL)

org = call("GET", "/organizations")[1]["organizations"][0]["id"]
pk = call("GET", f"/organization/{org}/secrets/public-key")[1]
pub = serialization.load_pem_public_key(pk["public_key_pem"].encode())
def sealed(value):
    return base64.b64encode(pub.encrypt(value.encode(), padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))).decode()
client = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
b64 = lambda n: base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()
jwk = {"kty": "EC", "crv": "P-256", "x": b64(client.x), "y": b64(client.y)}

def store(i):
    return call("PUT", f"/organization/{org}/secrets", {"name": f"S_{i % 20}", "environment": "dev", "encrypted_value": sealed(f"v{i}"), "sealed": True})
def lst(i):
    return call("GET", f"/organization/{org}/secrets?env=dev")
def retrieve(i):
    return call("POST", f"/organization/{org}/secrets/retrieve", {"environment": "dev", "client_public_jwk": jwk})
def retrieve1(i):
    return call("POST", f"/organization/{org}/secrets/retrieve", {"environment": "dev", "names": ["S_1"], "client_public_jwk": jwk})

for i in range(20):
    store(i)
requests = [("list", lst), ("retrieve 20", retrieve), ("retrieve 1", retrieve1), ("store", store)]
for name, fn in requests:
    fn(100); fn(101)  # warm
time.sleep(1)
for name, fn in requests:
    for n in range(3):
        marker(f"MARK {run} begin {name} {n}")
        status, _ = fn(200 + n)
        time.sleep(0.3)
        marker(f"MARK {run} end {name} {n}")
time.sleep(1)
lines = open(log, errors="replace").read().splitlines()
for name, _ in requests:
    for n in range(3):
        b = next(i for i, l in enumerate(lines) if f"MARK {run} begin {name} {n}" in l)
        e = next(i for i, l in enumerate(lines) if f"MARK {run} end {name} {n}" in l)
        stmts = [l for l in lines[b + 1:e] if f"@{db} " in l and ("statement:" in l or "execute" in l) and "MARK" not in l]
        print(f"{name} #{n}: {len(stmts)}")
        if n == 2 or "-v" in sys.argv:
            for s in stmts:
                print("    " + s.split(": ", 1)[-1][:160])
