#!/usr/bin/env bash
# Benchmarks (not tests): build/bench.sh <suite> [options]. Each suite is build/bench/<suite>.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
suite=${1:-}
if [[ -z $suite || ! -f $here/bench/$suite.sh ]]; then
  echo "usage: build/bench.sh <suite> [options]; suites: $(cd "$here/bench" && ls *.sh | sed 's/\.sh$//' | tr '\n' ' ')" >&2
  exit 2
fi
shift
exec bash "$here/bench/$suite.sh" "$@"
