#!/usr/bin/env bash
# The README's second command (and what .ci/run calls): install, lint, typecheck, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/pnpm.sh exec biome ci .
bash scripts/pnpm.sh exec turbo run typecheck --output-logs=errors-only
# The playground's end-to-end tests (its `test` script, run by turbo below) drive Debian's Chromium,
# never a downloaded browser: install it when it is missing.
if ! command -v chromium >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
fi
# Test packages one at a time: the model tests are CPU-bound and 2 cores are shared.
bash scripts/pnpm.sh exec turbo run test --concurrency=1 --output-logs=full
