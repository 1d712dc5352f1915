#!/usr/bin/env bash
# The README's second command (and what .ci/run calls): install, lint, typecheck, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/pnpm.sh exec biome ci .
bash scripts/pnpm.sh exec turbo run typecheck --output-logs=errors-only
# Test packages one at a time: the model tests are CPU-bound and 2 cores are shared.
bash scripts/pnpm.sh exec turbo run test --concurrency=1 --output-logs=full
