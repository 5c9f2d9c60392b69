#!/usr/bin/env bash
# Fault injection against the embedded default: see bench/faults.py. --quick: 20 reminders a fault, faults held 20 s.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/faults.py "$@"
