#!/usr/bin/env bash
# Runs DangVu on its embedded default: SQLite in <home>/data, every module in Modules/ built,
# packaged and installed into <home>/plugins.
#   build/run.sh [--home <dir>] [serve options, such as --urls http://127.0.0.1:5080]
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
home=${DANGVU_HOME:-$PWD/.dangvu}
if [[ ${1:-} == --home ]]; then
  home=$2
  shift 2
fi
dangvu=(dotnet "Host/DangVu.Host/bin/$config/net10.0/dangvu.dll" --home "$home")

dotnet build Host/DangVu.Host -c "$config" -nologo -v q
# A module project is one with a module.json beside it.
for manifest in Modules/*/module.json Modules/*/*/module.json; do
  [[ -f $manifest ]] || continue
  zip=$(bash build/package-module.sh "$(dirname "$manifest")" artifacts/modules)
  "${dangvu[@]}" modules install "$zip"
done
"${dangvu[@]}" modules list
exec "${dangvu[@]}" serve "$@"
