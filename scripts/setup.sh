#!/usr/bin/env bash
# The README's first command: install everything, then run the main job on a bundled input.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
node packages/cli/dist/bin.js detect "${1:-samples/kitchen.jpg}"
