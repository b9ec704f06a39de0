#!/usr/bin/env bash
# Installs what the gRPC interop tests and the gRPC benchmark need; safe to run again.
# Debian: node + npm (grpc-js clients/servers), python3-grpcio + python3-protobuf (seen by
# /usr/bin/python3), nghttp2-client (h2load). npm: `npm ci` in each node folder.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v h2load >/dev/null 2>&1 || missing+=(nghttp2-client)
/usr/bin/python3 -c 'import grpc' >/dev/null 2>&1 || missing+=(python3-grpcio)
/usr/bin/python3 -c 'import google.protobuf' >/dev/null 2>&1 || missing+=(python3-protobuf)

if ((${#missing[@]})); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  # A package list that never was fetched (or is stale) finds nothing: update once first.
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

for dir in tests/Interop/clients/node tests/Benchmarks/Grpc/node; do
  [[ -f $dir/package-lock.json ]] || continue
  # Skip when node_modules was installed from this very lock file.
  stamp=$dir/node_modules/.dangvu-lock.sha256
  sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  [[ -f $stamp && $(cat "$stamp") == "$sum" ]] && continue
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$sum" >"$stamp"
done
