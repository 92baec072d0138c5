#!/usr/bin/env bash
# deploy-service vs Ansible on the same simulated fleet (issue 12, item 15), in one run:
#   1. ./loki up -d with LOKI_FLEET_HOSTS hosts (default 1000): one MINA SSH server answering as
#      127.0.1.1, 127.0.1.2, …; the demo data registers and binds them to /demo/fleet/app;
#   2. Loki: a script template with one no-op step (`true`) in one batch of all hosts, SSH concurrency
#      100 (deploy-service's default), run through the gateway; wall time from POST to `succeeded`, and
#      deploy-service's CPU seconds (its JVM's utime+stime from /proc) over the run;
#   3. Ansible: `ansible all -m raw -a true -f 100` against the same hosts, key and known_hosts (raw needs
#      no Python on the host); wall time and the controller's CPU seconds (its own and its children's).
# Prints a Markdown table for docs/benchmarks.md. Needs ansible-core, openssh-client, bc and time (Debian).
# Bounded: at most BENCH_TIMEOUT seconds per tool.
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS=${LOKI_FLEET_HOSTS:-1000}
FORKS=${BENCH_FORKS:-100}
TIMEOUT=${BENCH_TIMEOUT:-900}
GATEWAY=http://127.0.0.1:${LOKI_GATEWAY_PORT:-8080}
PASSWORD=${LOKI_ADMIN_PASSWORD:-loki-admin}
WORK=$(mktemp -d /tmp/deploy-bench.XXXXXX)

command -v ansible >/dev/null || { echo "needs ansible-core: apt-get install -y ansible-core openssh-client" >&2; exit 2; }
command -v ssh >/dev/null || { echo "needs openssh-client" >&2; exit 2; }

./loki down >/dev/null 2>&1 || true
# benchmark mode: the per-subject rate limit raised (the demo data registers the whole fleet through the gateway)
LOKI_FLEET_HOSTS=$HOSTS LOKI_FLEET_PORT=${LOKI_FLEET_PORT:-2222} LOKI_RATE_LIMIT_PER_SECOND=1000000 LOKI_RATE_LIMIT_BURST=1000000 \
  ./loki up -d >/dev/null
trap './loki down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

json() { python3 -c "import sys,json; d=json.load(sys.stdin); print($1)"; }
token() {
  curl -sf -X POST "$GATEWAY/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | json 'd["accessToken"]'
}
api() { # method path [body]
  curl -sf -X "$1" "$GATEWAY$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"}
}
TOKEN=$(token)

# the demo data registers the fleet in the background: wait until all hosts are bound
deadline=$((SECONDS + 900))
bound() {
  local node
  node=$(api GET "/api/ptree/nodes?path=/demo/fleet/app" 2>/dev/null | json 'd["id"]' 2>/dev/null) || { echo 0; return; }
  api GET "/api/ptree/nodes/$node/servers?recursive=true" 2>/dev/null | json 'len(d)' 2>/dev/null || echo 0
}
fleet_servers() { api GET "/api/asset/servers?q=fleet-&size=1" 2>/dev/null | json 'd["total"]' 2>/dev/null || echo 0; }
until [ "$(fleet_servers)" -ge "$HOSTS" ]; do
  [ $SECONDS -lt $deadline ] || { echo "the fleet was not registered in time ($(fleet_servers) of $HOSTS)" >&2; exit 1; }
  sleep 3
done
# bind whatever the demo data has not bound yet (ptree refuses a request naming a server bound there already)
node=$(api GET "/api/ptree/nodes?path=/demo/fleet/app" | json 'd["id"]')
api GET "/api/ptree/nodes/$node/servers" | python3 -c "
import sys, json
bound = {b['hostname'] for b in json.load(sys.stdin)}
missing = ['fleet-%02d' % i for i in range(1, $HOSTS + 1) if 'fleet-%02d' % i not in bound]
for i in range(0, len(missing), 100):
    print(json.dumps({'hostnames': missing[i:i + 100]}))" | while read -r body; do
  api POST "/api/ptree/nodes/$node/servers" "$body" >/dev/null
done
[ "$(bound)" -ge "$HOSTS" ] || { echo "only $(bound) of $HOSTS hosts are bound" >&2; exit 1; }

template=$(api POST /api/deploy/templates "{\"name\":\"bench-noop\",\"nodePath\":\"/demo/fleet/app\",\"type\":\"script\",
  \"steps\":[{\"name\":\"noop\",\"command\":\"true\",\"timeoutSeconds\":60}],\"batch\":{\"size\":$HOSTS,\"maxFailures\":\"100%\"}}" | json 'd["id"]')

pid=$(sed -n 's/^service\.deploy-service\.pid=//p' .loki/run/state.properties)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick=$(getconf CLK_TCK)

TOKEN=$(token)
before=$(cpu "$pid")
start=$(date +%s.%N)
id=$(api POST /api/deploy/deployments '{"templateId":'"$template"',"version":"1"}' | json 'd["id"]')
status=running
until [ "$status" = succeeded ] || [ "$status" = paused ] || [ "$status" = failed ]; do
  [ "$(echo "$(date +%s.%N) - $start < $TIMEOUT" | bc)" = 1 ] || { echo "Loki's run did not finish in $TIMEOUT s" >&2; exit 1; }
  sleep 0.2
  status=$(api GET "/api/deploy/deployments/$id" | json 'd["status"]')
done
loki_wall=$(echo "$(date +%s.%N) - $start" | bc)
loki_cpu=$(echo "($(cpu "$pid") - $before) / $tick" | bc -l)
loki_ok=$(api GET "/api/deploy/deployments/$id" | json 'sum(1 for b in d["batches"] for h in b["hosts"] if h["status"]=="succeeded")')

# Ansible: the same hosts, key and known host keys
python3 - "$HOSTS" "$WORK" "$PWD/.loki" "${LOKI_FLEET_PORT:-2222}" <<'EOF'
import sys
hosts, work, home, port = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
with open(f"{work}/inventory", "w") as f:
    f.write("[fleet]\n")
    for i in range(hosts):
        f.write(f"fleet-{i + 1:02d} ansible_host=127.0.{1 + i // 250}.{1 + i % 250}\n")
    f.write(f"[fleet:vars]\nansible_port={port}\nansible_user=deploy\nansible_ssh_private_key_file={home}/ssh/deploy\n"
            f"ansible_ssh_common_args='-o UserKnownHostsFile={home}/ssh/known_hosts -o StrictHostKeyChecking=yes'\n")
EOF
export ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_PYTHON_INTERPRETER=auto_silent ANSIBLE_LOCAL_TEMP="$WORK/ansible-local"
/usr/bin/time -f "%e %U %S" -o "$WORK/ansible.time" timeout "$TIMEOUT" \
  ansible all -i "$WORK/inventory" -m raw -a true -f "$FORKS" > "$WORK/ansible.out" 2>&1 || true
read -r ansible_wall ansible_user ansible_sys < "$WORK/ansible.time"
ansible_cpu=$(echo "$ansible_user + $ansible_sys" | bc -l)
ansible_ok=$(grep -c '| CHANGED\|| SUCCESS' "$WORK/ansible.out" || true)

echo
echo "Run: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $HOSTS simulated hosts, concurrency $FORKS, one no-op step"
echo
echo "| tool | hosts ok | wall time | hosts/s | control-plane CPU | CPU per host |"
echo "|---|---|---|---|---|---|"
printf "| Loki deploy-service (journal, events, logs) | %d | %.1f s | %.1f | %.1f s | %.1f ms |\n" \
  "$loki_ok" "$loki_wall" "$(echo "$loki_ok / $loki_wall" | bc -l)" "$loki_cpu" "$(echo "$loki_cpu * 1000 / $HOSTS" | bc -l)"
printf "| Ansible %s \`raw\` -f %d | %d | %.1f s | %.1f | %.1f s | %.1f ms |\n" \
  "$(ansible --version | head -1 | sed 's/.*core //; s/]//')" "$FORKS" "$ansible_ok" "$ansible_wall" \
  "$(echo "$ansible_ok / $ansible_wall" | bc -l)" "$ansible_cpu" "$(echo "$ansible_cpu * 1000 / $HOSTS" | bc -l)"
echo
printf "Loki / Ansible hosts/s: %.1f×\n" "$(echo "($loki_ok / $loki_wall) / ($ansible_ok / $ansible_wall)" | bc -l)"
