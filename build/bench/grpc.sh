#!/usr/bin/env bash
# gRPC benchmark: h2load (one neutral load generator) drives the same two gRPC requests, at the
# same concurrency, against our server, a grpc-js server, a python grpcio server and bare
# Kestrel returning the same bytes (the ceiling). Prints req/s and p99 latency per target and
# the ratios ours/grpc-js and ours/bare-Kestrel, with each server's CPU time per request (the
# fairer judge on a machine busy with other work). All servers run at once and the targets take
# turns, round after round, so that a machine busy with other work hurts them alike; each
# figure is the median round of its target.
#   build/bench.sh grpc [--rounds R] [--duration S] [--warmup S] [--clients C] [--streams M] [--targets 'ours grpc-js ...']
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
rounds=3 duration=5 warmup=1 clients=4 streams=32
targets='ours grpc-js grpcio bare-kestrel'
while (($#)); do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

bash build/setup/interop.sh
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "Building the .NET targets (Release)..." >&2
dotnet build tests/Interop/DangVu.Interop.TestServer/DangVu.Interop.TestServer.csproj -c Release -nologo -v q >&2
dotnet build tests/Benchmarks/Grpc/DangVu.Bench.BareKestrel/DangVu.Bench.BareKestrel.csproj -c Release -nologo -v q >&2
ours=tests/Interop/DangVu.Interop.TestServer/bin/Release/net10.0/DangVu.Interop.TestServer.dll
bare=tests/Benchmarks/Grpc/DangVu.Bench.BareKestrel/bin/Release/net10.0/DangVu.Bench.BareKestrel.dll
dotnet "$ours" --descriptor-set-out "$work/testing.fds"

# The two request bodies, gRPC-framed (see BenchResponses.cs for the answers):
#   unary:  SimpleRequest { response_size: 32, payload { body: 32 zero bytes } }
#   stream: StreamingOutputCallRequest { response_parameters: 100 x { size: 32 } }
/usr/bin/python3 - "$work" <<'PY'
import struct, sys
def frame(message):
    return b"\0" + struct.pack(">I", len(message)) + message
payload = b"\x12\x20" + b"\0" * 32
open(f"{sys.argv[1]}/unary.bin", "wb").write(frame(b"\x10\x20" + b"\x1a" + bytes([len(payload)]) + payload))
open(f"{sys.argv[1]}/stream.bin", "wb").write(frame(b"\x12\x02\x08\x20" * 100))
PY

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2
  return 1
}

# A process's CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Runs h2load for one target and method; prints "req/s p99_ms ok_fraction cpu_us_per_request".
# The server's CPU time is taken over the measured part of the run (after the warm-up): on a
# shared machine it judges a server better than its wall-clock rate does.
load() {
  local port=$1 method=$2 body=$3 server=$4 log=$work/h2load-$1-$2.log out
  h2load -t 1 -c "$clients" -m "$streams" -D "$duration" --warm-up-time "$warmup" \
    -d "$body" -H 'content-type: application/grpc' -H 'te: trailers' \
    --log-file "$log" "http://127.0.0.1:$port/grpc.testing.TestService/$method" >"$work/h2load.out" 2>&1 &
  local h2=$!
  sleep "$warmup"
  local before after
  before=$(cpu_ticks "$server")
  wait "$h2" || true
  after=$(cpu_ticks "$server")
  out=$(cat "$work/h2load.out")
  local rps ok total
  rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out")
  read -r total ok < <(sed -n 's/^requests: \([0-9]*\) total, .* \([0-9]*\) succeeded.*/\1 \2/p' <<<"$out")
  local p99 cpu
  p99=$(awk '{print $3}' "$log" | sort -n | awk '{v[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.2f", v[i]/1000}')
  cpu=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="${total:-0}" 'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / n : 0) }')
  echo "${rps:-0} ${p99:-0} ${ok:-0}/${total:-0} $cpu"
}

declare -A port pid result
start_target() {
  local name=$1; shift
  port[$name]=$(free_port)
  "$@" --port "${port[$name]}" >"$work/$name.out" 2>&1 &
  pids+=($!)
  pid[$name]=$!
  wait_port "${port[$name]}"
}

export DOTNET_gcServer=1 DOTNET_TieredPGO=1
for name in $targets; do
  case $name in
    ours) start_target ours dotnet "$ours" ;;
    grpc-js) start_target grpc-js node tests/Interop/clients/node/interop_server.js ;;
    grpcio) start_target grpcio /usr/bin/python3 tests/Benchmarks/Grpc/python/bench_server.py --descriptor_set "$work/testing.fds" ;;
    bare-kestrel) start_target bare-kestrel dotnet "$bare" ;;
    *) echo "unknown target $name" >&2; exit 2 ;;
  esac
done

# Rounds of turns; each run appends "req/s p99 ok/total" to the target's list.
declare -A runs
for round in $(seq 1 "$rounds"); do
  for method in unary stream; do
    for name in $targets; do
      echo "Round $round/$rounds: $method on $name (port ${port[$name]})..." >&2
      if [[ $method == unary ]]; then
        runs[$name,$method]+="$(load "${port[$name]}" UnaryCall "$work/unary.bin" "${pid[$name]}")"$'\n'
      else
        runs[$name,$method]+="$(load "${port[$name]}" StreamingOutputCall "$work/stream.bin" "${pid[$name]}")"$'\n'
      fi
    done
  done
done
declare -A cpu
for key in "${!runs[@]}"; do
  # The median round by req/s; the median CPU time per request on its own.
  result[$key]=$(printf '%s' "${runs[$key]}" | sed '/^$/d' | sort -n -k1,1 | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }')
  cpu[$key]=$(printf '%s' "${runs[$key]}" | sed '/^$/d' | awk '{ print $4 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
done

printf '\nh2load -t 1 -c %s -m %s, %ss after %ss warm-up, median of %s rounds; unary = small echo (32 B), stream = 100 x 32 B\n' \
  "$clients" "$streams" "$duration" "$warmup" "$rounds"
printf '%-14s %-8s %12s %10s %16s %14s\n' target method req/s p99_ms succeeded server_cpu_us
for name in $targets; do
  for method in unary stream; do
    read -r rps p99 ok _ <<<"${result[$name,$method]}"
    printf '%-14s %-8s %12s %10s %16s %14s\n' "$name" "$method" "$rps" "$p99" "$ok" "${cpu[$name,$method]}"
  done
done
echo
for method in unary stream; do
  read -r ours_rps _ <<<"${result[ours,$method]:-0}"
  read -r js_rps _ <<<"${result[grpc-js,$method]:-0}"
  read -r bare_rps _ <<<"${result[bare-kestrel,$method]:-0}"
  awk -v m="$method" -v o="$ours_rps" -v j="$js_rps" -v b="$bare_rps" -v oc="${cpu[ours,$method]:-0}" -v bc="${cpu[bare-kestrel,$method]:-0}" 'BEGIN {
    printf "%-7s ours/grpc-js = %.2fx (target >= 2x)   ours/bare-kestrel = %.0f%% (target >= 80%%)   CPU per request bare-kestrel/ours = %.0f%%\n",
      m, (j > 0 ? o / j : 0), (b > 0 ? 100 * o / b : 0), (oc > 0 ? 100 * bc / oc : 0) }'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
