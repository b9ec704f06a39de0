#!/usr/bin/env bash
# Turns a module project into an installable zip:
#   build/package-module.sh <module project folder or .csproj> [output folder, default artifacts/modules]
# Prints the zip's path. Install it with: dangvu modules install <zip>
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: build/package-module.sh <module project> [output folder]" >&2; exit 2; }
project=$1
output=${2:-artifacts/modules}
config=${CONFIGURATION:-Release}

[[ -e $project ]] || { echo "Không tìm thấy dự án (project not found): $project" >&2; exit 1; }
mkdir -p "$output"
publish=$(mktemp -d)
trap 'rm -rf "$publish"' EXIT

dotnet build Host/DangVu.Host -c "$config" -nologo -v q >&2
dotnet publish "$project" -c "$config" -o "$publish" -nologo -v q >&2
dotnet "Host/DangVu.Host/bin/$config/net10.0/dangvu.dll" modules pack "$publish" --output "$output"
