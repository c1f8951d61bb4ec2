#!/usr/bin/env bash
# Lints openapi.yaml with @redocly/cli, generates a TypeScript client from it with
# @hey-api/openapi-ts, compiles it, and runs .ci/sdk-check/smoke.ts with it against the packaged
# server (server/target/quarkus-app, built by `mvn verify`) on a private embedded database.
# The npm tools go to a scratch directory: nothing is installed in the repository, no lockfile kept.
set -euo pipefail
name=sdk-check
# shellcheck source=.ci/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

echo "sdk-check: installing @redocly/cli, @hey-api/openapi-ts and typescript into $scratch"
(cd "$scratch" && echo '{"private": true}' > package.json \
  && npm install --no-audit --no-fund --no-package-lock --loglevel=error \
       @redocly/cli@2.77.0 @hey-api/openapi-ts@0.99.0 typescript@5.9.3 @types/node@20 >/dev/null)
bin="$scratch/node_modules/.bin"

echo "sdk-check: redocly lint"
(cd "$root" && "$bin/redocly" lint openapi.yaml --config redocly.yaml --format=stylish 2>&1 \
  | sed -n '/^validating/,$p')
# lint's exit code fails this script on an error; warnings count too
warnings=$(cd "$root" && "$bin/redocly" lint openapi.yaml --config redocly.yaml --format=json 2>/dev/null \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).totals.warnings))')
[ "$warnings" = "0" ] || { echo "sdk-check: redocly reports $warnings warnings" >&2; exit 1; }

echo "sdk-check: generating and compiling the TypeScript client"
mkdir -p "$scratch/sdk"
cp "$root/.ci/sdk-check/smoke.ts" "$root/.ci/sdk-check/tsconfig.json" "$scratch/sdk/"
"$bin/openapi-ts" -i "$root/openapi.yaml" -o "$scratch/sdk/client" >/dev/null
(cd "$scratch/sdk" && "$bin/tsc" -p tsconfig.json)

port=$(free_port)
token="crate_sdkCheck$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
echo "sdk-check: starting the packaged server on 127.0.0.1:$port (embedded PostgreSQL in $scratch/data)"
start_server "$port" CRATE_BOOTSTRAP_TOKEN="$token"
# the other probes the Kubernetes manifests use
curl -fsS "http://127.0.0.1:$port/q/health/live" >/dev/null && curl -fsS "http://127.0.0.1:$port/q/health/started" >/dev/null \
  || { echo "sdk-check: a probe endpoint of k8s/deployment.yaml does not answer" >&2; exit 1; }

CRATE_SERVER="http://127.0.0.1:$port" CRATE_TOKEN="$token" node "$scratch/sdk/dist/smoke.js"
passed
