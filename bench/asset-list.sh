#!/usr/bin/env bash
# Benchmark of the hot read path: GET /api/asset/servers?size=50 through the gateway with 10,000
# servers stored, side by side with the gateway's cheapest route (GET /api/auth/jwks: public, a few
# hundred bytes, no token to verify) in one run on this machine. For context it also measures the
# gateway's local health endpoint (served by the gateway itself, no proxying) and the list straight
# from asset-service. Needs wrk (apt-get install wrk) and a running platform:
#
#   LOKI_JAVA_OPTS="-XX:MaxRAMPercentage=10" LOKI_RATE_LIMIT_PER_SECOND=1000000 LOKI_RATE_LIMIT_BURST=1000000 ./loki up -d
#   bench/asset-list.sh            # writes the results table to stdout (and bench/results/)
#
# Full JIT (LOKI_JAVA_OPTS without -XX:TieredStopAtLevel=1) and a raised per-subject rate limit: with the default (50/s) the benchmark would
# only measure the limiter. (./loki's default quick-start JIT would measure C1-compiled code.) Loopback only; every loop is bounded by wrk's duration.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${LOKI_URL:-http://127.0.0.1:8080}"
PASSWORD="${LOKI_ADMIN_PASSWORD:-loki-admin}"
DURATION="${BENCH_DURATION:-20s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
command -v wrk >/dev/null || { echo "bench: needs wrk (apt-get install wrk)" >&2; exit 2; }

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
token=$(curl -sf -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | json '["accessToken"]')
auth=(-H "Authorization: Bearer $token")

# 10,000 servers in IDC "bench" (imported once; re-runs find them).
curl -s -o /dev/null -X POST "$BASE/api/asset/idcs" "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"name":"bench","location":"benchmark","network":"10.200.0.0/16"}' || true
have=$(curl -sf "$BASE/api/asset/servers?idc=bench&size=1" "${auth[@]}" | json '["total"]')
if [ "$have" -lt 10000 ]; then
  csv=$(mktemp)
  python3 - "$csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("hostname,sn,idc,privateIps,macs,cpuCores,memoryMb,diskGb,os,status\n")
    for i in range(10000):
        f.write(f"bench{i:05d},SN-BENCH-{i:05d},bench,10.200.{i // 250}.{i % 250 + 1},"
                f"52:54:00:c8:{i // 256:02x}:{i % 256:02x},32,131072,960,Debian 12,online\n")
PY
  curl -sf -X POST "$BASE/api/asset/servers/import" "${auth[@]}" -H 'Content-Type: text/csv' --data-binary "@$csv" > /dev/null
  rm -f "$csv"
fi
total=$(curl -sf "$BASE/api/asset/servers?size=1" "${auth[@]}" | json '["total"]')

run() { # name url [headers...] -> "requests/s p50 p99"
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${@:2}")
  echo "$out" > "bench/results/$1.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$rps $p50 $p99 ${non2xx:-0}"
}
mkdir -p bench/results
curl -sf "$BASE/api/asset/servers?size=50" "${auth[@]}" > /dev/null   # warm up both paths once
wrk -t1 -c8 -d"${BENCH_WARMUP:-15s}" "$BASE/api/asset/servers?size=50" -H "Authorization: Bearer $token" > /dev/null
wrk -t1 -c8 -d"${BENCH_WARMUP:-15s}" "$BASE/api/auth/jwks" > /dev/null
wrk -t1 -c8 -d"${BENCH_WARMUP:-15s}" "$BASE/actuator/health/liveness" > /dev/null
read -r c_rps c_p50 c_p99 c_err < <(run cheapest-route "$BASE/api/auth/jwks")
read -r l_rps l_p50 l_p99 l_err < <(run list "$BASE/api/asset/servers?size=50" -H "Authorization: Bearer $token")
read -r h_rps h_p50 h_p99 h_err < <(run health "$BASE/actuator/health/liveness")
read -r d_rps d_p50 d_p99 d_err < <(run list-direct "${LOKI_ASSET_URL:-http://127.0.0.1:8082}/api/asset/servers?size=50" -H "Authorization: Bearer $token")
ratio=$(python3 -c "print(f'{$l_rps / $c_rps:.2f}')")
local_ratio=$(python3 -c "print(f'{$l_rps / $h_rps:.2f}')")

cat <<TABLE
Run: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $total servers stored

| route | requests/s | p50 | p99 | non-2xx |
|---|---|---|---|---|
| gateway's cheapest route \`GET /api/auth/jwks\` (public, tiny, no token check) | $c_rps | $c_p50 | $c_p99 | $c_err |
| \`GET /api/asset/servers?size=50\` (token checked, gateway → asset-service → MariaDB) | $l_rps | $l_p50 | $l_p99 | $l_err |
| (context) gateway's local \`GET /actuator/health/liveness\`, not proxied | $h_rps | $h_p50 | $h_p99 | $h_err |
| (context) the same list straight from asset-service, no gateway | $d_rps | $d_p50 | $d_p99 | $d_err |

List throughput is **$ratio×** the gateway's cheapest route (goal: ≥ 0.5), and $local_ratio× its local health endpoint.
TABLE
