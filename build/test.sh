#!/usr/bin/env bash
# Runs every test of DangVu, on a fresh Debian machine with the .NET SDK:
# installs what the tests need, starts a throwaway PostgreSQL on 127.0.0.1, builds, tests,
# and prints one closing line "Tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
config=${CONFIGURATION:-Release}

# 1. What the tests need from Debian and npm (each script is idempotent).
for setup in build/setup/*.sh; do
  [[ -f $setup ]] && bash "$setup"
done

# 2. A throwaway PostgreSQL for the storage tests on the second provider.
if [[ ${DANGVU_TEST_SKIP_POSTGRES:-0} != 1 ]]; then
  pg_url=$(bash build/postgres.sh start)
  export DANGVU_TEST_POSTGRES=$pg_url
  trap 'bash "$root/build/postgres.sh" stop >/dev/null 2>&1 || true' EXIT
fi

# 3. Build everything once, then test without rebuilding.
dotnet build DangVu.slnx -c "$config" -nologo -v minimal
log=$(mktemp)
set +e
dotnet test DangVu.slnx -c "$config" --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# 4. One closing line for the whole run, summed over the test projects.
awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) }
      if ($i == "Passed:")  { p += $(i+1) }
      if ($i == "Skipped:") { s += $(i+1) }
    }
  }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
rm -f "$log"
exit "$status"
