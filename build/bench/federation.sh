#!/usr/bin/env bash
# Federation benchmark: N member changes (default 100,000) pushed child → parent on loopback over
# mutual TLS — two installations set up through the CLI as administrators would, the parent a real
# `dangvu serve` process, the push the child's own sync code. Prints changes/s and time to converge
# (parent has committed every change) from one run.
# First W changes (default 2,000) in 40 warm-up pushes, untimed: a parent serving its children runs warm (.NET
# compiles a method optimised after 30 calls: one push of W left the code run per push or per batch unoptimised, and
# compiling it, for the timed push); --warm-up 0 times the first sync of a cold start.
#   build/bench.sh federation [--changes N] [--batch-size B] [--warm-up W]
set -euo pipefail
cd "$(dirname "$0")/../.."
changes=100000 batch=1000 warmup=2000
while (($#)); do
  case $1 in
    --changes) changes=$2; shift 2 ;;
    --batch-size) batch=$2; shift 2 ;;
    --warm-up) warmup=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

echo "Building (Release)..." >&2
dotnet build Host/DangVu.Host/DangVu.Host.csproj -c Release -nologo -v q >&2
dotnet build Modules/Members/DangVu.Modules.Members.csproj -c Release -nologo -v q >&2
dotnet build tests/Benchmarks/Federation/DangVu.Bench.Federation.csproj -c Release -nologo -v q >&2
dangvu_dll=$(pwd)/Host/DangVu.Host/bin/Release/net10.0/dangvu.dll
bench_dll=$(pwd)/tests/Benchmarks/Federation/bin/Release/net10.0/DangVu.Benchmarks.dll

work=$(mktemp -d)
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export DANGVU__Federation__BackgroundSync=false DANGVU__Federation__BatchSize=$batch
parent() { DANGVU__Node__Id=bench-parent dotnet "$dangvu_dll" --home "$work/parent" "$@"; }
child() { DANGVU__Node__Id=bench-child DANGVU__Node__Owns=HN.BD.CB1 dotnet "$dangvu_dll" --home "$work/child" "$@"; }

cat > "$work/org.csv" <<'CSV'
code,name,kind,parent,valid_from,valid_to
HN,Đảng bộ Thành phố Hà Nội,Đảng bộ tỉnh/thành phố,,2025-07-01,
HN.BD,Đảng bộ phường Ba Đình,Đảng bộ trực thuộc,HN,2025-07-01,
HN.BD.CB1,Chi bộ Khu dân cư số 1,Chi bộ cơ sở,HN.BD,2025-07-01,
CSV
package=$(parent modules pack Modules/Members/bin/Release/net10.0 --output "$work/packages" | tail -n1)
for node in parent child; do
  mkdir -p "$work/$node"
  $node org import "$work/org.csv" >/dev/null
  $node modules install "$package" >/dev/null
done
parent federation init --root >/dev/null
child federation init >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
web=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DANGVU__Node__Id=bench-parent dotnet "$dangvu_dll" --home "$work/parent" serve --urls "http://127.0.0.1:$web" --grpc-urls "https://127.0.0.1:$port" >"$work/parent.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$web/health" >/dev/null 2>&1 && break
  sleep 0.5
done

request=$(child federation request --parent "https://127.0.0.1:$port" | tail -n1)
code=$(parent federation approve "$request" --subtree HN.BD.CB1 --network internal | tail -n1)
child federation accept --code "$code" >/dev/null

echo "changes: $changes, batch size: $batch, warm-up: $warmup, cores: $(nproc)"
# The bench reads the parent's CPU time around the timed push.
DANGVU_BENCH_PARENT_PID=$server DANGVU_BENCH_CLK_TCK=$(getconf CLK_TCK) \
  dotnet "$bench_dll" "$work/child" bench-child "$work/parent" "$changes" HN.BD.CB1 "$warmup"
