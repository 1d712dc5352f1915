#!/usr/bin/env bash
# The README's second command (and what .ci/run calls): install, lint, typecheck, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/pnpm.sh exec biome ci .
bash scripts/pnpm.sh exec turbo run typecheck --output-logs=errors-only
# Every exported function, class and constant has TSDoc with an @example (built declarations).
node scripts/check-tsdoc.mjs
# The playground's end-to-end tests (its `test` script, run by turbo below) drive Debian's Chromium,
# never a downloaded browser: install it when it is missing.
# The privacy check traces system calls with Debian's strace: install it too when missing.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v strace >/dev/null 2>&1 || missing="$missing strace"
if [ -n "$missing" ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
fi
# Test packages one at a time: the model tests are CPU-bound and 2 cores are shared.
log=$(mktemp)
status=0
bash scripts/pnpm.sh exec turbo run test --concurrency=1 --continue --output-logs=full 2>&1 | tee "$log" || status=1
# Privacy: every task under strace in a fresh HOME; nothing may leave loopback or the model cache.
node scripts/privacy/check.mjs 2>&1 | tee -a "$log" || status=1
# A user's app: pack, install with npm (default settings) and pnpm outside the workspace, run the
# READMEs' one-liners from ESM and CommonJS, measure install sizes.
node scripts/consumer/check.mjs 2>&1 | tee -a "$log" || status=1
# One closing line over every package's vitest summary and the privacy check's.
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '/:test: +Tests +|^(privacy|consumer): [0-9]+ passed/ { for (i = 1; i < NF; i++) { if ($(i + 1) ~ /^passed/) p += $i; if ($(i + 1) ~ /^failed/) f += $i; if ($(i + 1) ~ /^skipped/) s += $i } } END { printf "%d passed, %d failed, %d skipped\n", p, f, s }'
rm -f "$log"
exit "$status"

