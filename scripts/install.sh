#!/usr/bin/env bash
# Installs every workspace dependency (and so the pinned packages that ship the model weights),
# builds the packages, and checks every model file against its SHA-256.
set -euo pipefail
cd "$(dirname "$0")/.."
# onnxruntime-node's postinstall only tries to download CUDA files; pnpm 10 skips it anyway.
export ONNXRUNTIME_NODE_INSTALL=skip
bash scripts/pnpm.sh install --frozen-lockfile --reporter=append-only
bash scripts/pnpm.sh run build
node scripts/verify-models.mjs
