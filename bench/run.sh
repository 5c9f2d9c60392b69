#!/usr/bin/env bash
# The benchmark: every dispatch-speed target printed beside its measurement (see bench/run.py).
# --quick: the everyday ~3-minute run; without it the full run (10k burst, 5 min steady load, 100k pending).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/run.py "$@"
