#!/usr/bin/env bash
# A non-Java gRPC client against the packaged server (server/target/quarkus-app, built by `mvn verify`)
# on a private embedded database: clients/node/grpc-smoke.mjs with @grpc/grpc-js and
# @grpc/proto-loader stores and retrieves secrets over h2c on the HTTP port, and again over TLS on the
# HTTPS port (a throwaway self-signed certificate), sealing with Node's crypto.
# The npm packages go to a scratch directory: nothing is installed in the repository, no lockfile kept.
set -euo pipefail
name=grpc-node-check
# shellcheck source=.ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

echo "grpc-node-check: installing clients/node's dependencies into $scratch"
cp "$root/clients/node/package.json" "$root/clients/node/grpc-smoke.mjs" "$scratch/"
(cd "$scratch" && npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)

port=$(free_port)
tls_port=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$scratch/tls.key" -out "$scratch/tls.crt" -days 1 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
token="crate_grpcNodeCheck$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
echo "grpc-node-check: starting the packaged server on 127.0.0.1:$port and TLS port $tls_port (embedded PostgreSQL in $scratch/data)"
start_server "$port" QUARKUS_HTTP_SSL_PORT="$tls_port" QUARKUS_HTTP_SSL_CERTIFICATE_FILES="$scratch/tls.crt" \
  QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES="$scratch/tls.key" CRATE_BOOTSTRAP_TOKEN="$token"

echo "grpc-node-check: h2c on the HTTP port"
CRATE_GRPC_TARGET="127.0.0.1:$port" CRATE_SERVER="http://127.0.0.1:$port" CRATE_TOKEN="$token" \
  CRATE_PROTO_DIR="$root/server/src/main/proto" node "$scratch/grpc-smoke.mjs"
echo "grpc-node-check: TLS on the HTTPS port"
CRATE_GRPC_TLS=1 GRPC_DEFAULT_SSL_ROOTS_FILE_PATH="$scratch/tls.crt" CRATE_GRPC_TARGET="localhost:$tls_port" \
  CRATE_SERVER="http://127.0.0.1:$port" CRATE_TOKEN="$token" CRATE_PROTO_DIR="$root/server/src/main/proto" \
  node "$scratch/grpc-smoke.mjs"
# The token and the values must not reach the server's log.
if grep -q "$token" "$scratch/server.log" || grep -q "node raw value\|node jwe value" "$scratch/server.log"; then
  echo "grpc-node-check: the server log holds the token or a secret value" >&2
  exit 1
fi
passed
