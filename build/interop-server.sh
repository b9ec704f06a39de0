#!/usr/bin/env bash
# Starts gRPC's interop TestService on DangVu's own gRPC server, h2c on 127.0.0.1, so that any
# gRPC implementation's interop client can be pointed at it (builds the server if needed):
#   build/interop-server.sh --port 50051
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
project=tests/Interop/DangVu.Interop.TestServer/DangVu.Interop.TestServer.csproj
dll=tests/Interop/DangVu.Interop.TestServer/bin/$config/net10.0/DangVu.Interop.TestServer.dll
# Build when the server is missing or any source it is made of is newer than it.
if [[ ! -f $dll ]] || [[ -n $(find tests/Interop/DangVu.Interop.TestServer tests/Interop/protos Core Contracts \
    \( -name '*.cs' -o -name '*.proto' -o -name '*.csproj' \) -not -path '*/obj/*' -not -path '*/bin/*' -newer "$dll" -print -quit) ]]; then
  dotnet build "$project" -c "$config" -nologo -v q >&2
fi
exec dotnet "$dll" "$@"
