#!/usr/bin/env bash
# Members benchmark: generates N members (the module's deterministic generator) as a CSV file,
# imports it through the module's import (every row checked, one transaction, feed + audit +
# timeline) on SQLite and PostgreSQL, times the same rows through a raw insert (the ceiling),
# then name searches (p50/p95) and the whole-tree statistics. Prints a table with the targets.
#   build/bench.sh members [--members N] [--providers 'sqlite postgresql'] [--searches DIR]
# DANGVU_BENCH_KEEP=1 keeps the work folder (SQLite files, PostgreSQL schema); --searches DIR then times only
# the searches and statistics on it again (after the module's new migrations). The throwaway PostgreSQL server
# stops at the end of a run, so for PostgreSQL give both runs the same DANGVU_BENCH_POSTGRES
# (e.g. "$(bash build/postgres.sh start)").
set -euo pipefail
cd "$(dirname "$0")/../.."
args=("$@")
providers='sqlite postgresql'
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ ${args[i]} == --providers ]] && providers=${args[i + 1]}
done

echo "Building the benchmark (Release)..." >&2
dotnet build tests/Benchmarks/Members/DangVu.Bench.Members.csproj -c Release -nologo -v q >&2
# A server given in DANGVU_BENCH_POSTGRES is used as it is; otherwise a throwaway one is started.
if [[ $providers == *postgresql* && -z ${DANGVU_BENCH_POSTGRES:-} ]]; then
  DANGVU_BENCH_POSTGRES=$(bash build/postgres.sh start)
  export DANGVU_BENCH_POSTGRES
  trap 'bash build/postgres.sh stop >/dev/null 2>&1 || true' EXIT
fi
dotnet tests/Benchmarks/Members/bin/Release/net10.0/DangVu.Benchmarks.dll "${args[@]}"
