#!/usr/bin/env bash
# Runs pnpm 10, installing it from the npm registry when it is missing (corepack's signature check
# fails on this Node). turbo also needs a `pnpm` binary on PATH, so callers source the PATH we set.
set -euo pipefail
want=10.34.9
if ! command -v pnpm >/dev/null 2>&1 || ! pnpm --version 2>/dev/null | grep -q '^10\.'; then
  npm install -g --silent "pnpm@$want" >/dev/null 2>&1 || true
fi
if command -v pnpm >/dev/null 2>&1 && pnpm --version 2>/dev/null | grep -q '^10\.'; then
  exec pnpm "$@"
fi
exec npx -y "pnpm@$want" "$@"
