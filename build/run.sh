#!/usr/bin/env bash
# Runs DangVu on its embedded default: SQLite in <home>/data, every module in Modules/ built,
# packaged and installed into <home>/plugins.
#   build/run.sh [--home <dir>] [--demo] [serve options, such as --urls http://127.0.0.1:5080]
# --demo, on an empty installation: a sample organisation tree (build/demo/org.csv), an
# administrator "admin" (its temporary password is printed) and 200 generated member files.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
home=${DANGVU_HOME:-$PWD/.dangvu}
demo=0
args=()
while (($#)); do
  case $1 in
    --home) home=$2; shift 2 ;;
    --demo) demo=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
dangvu=(dotnet "Host/DangVu.Host/bin/$config/net10.0/dangvu.dll" --home "$home")

dotnet build Host/DangVu.Host -c "$config" -nologo -v q
# A module project is one with a module.json beside it.
for manifest in Modules/*/module.json Modules/*/*/module.json; do
  [[ -f $manifest ]] || continue
  zip=$(bash build/package-module.sh "$(dirname "$manifest")" artifacts/modules)
  "${dangvu[@]}" modules install "$zip"
done
"${dangvu[@]}" modules list

if ((demo)); then
  if [[ $("${dangvu[@]}" org list --json) == "[]" ]]; then
    "${dangvu[@]}" org import build/demo/org.csv
  fi
  if ! "${dangvu[@]}" users list | grep -q admin; then
    echo "Tài khoản quản trị (administrator account): admin"
    "${dangvu[@]}" users add admin --name "Quản trị viên" --admin
  fi
  export DANGVU__Modules__members__DemoMembers=${DANGVU_DEMO_MEMBERS:-200}
fi
exec "${dangvu[@]}" serve "${args[@]}"
