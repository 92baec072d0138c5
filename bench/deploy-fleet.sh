#!/usr/bin/env bash
# deploy-service vs Ansible on the same simulated fleet (issue 12, item 15), in one run:
#   1. ./loki up -d with LOKI_FLEET_HOSTS hosts (default 1000): one MINA SSH server answering as
#      127.0.1.1, 127.0.1.2, …; the demo data registers and binds them to /demo/fleet/app;
#   2. Loki: a script template with one no-op step (`true`) in one batch of all hosts, SSH concurrency
#      100 (deploy-service's default), run through the gateway, twice (the first deployment since the
#      service started, then the next); wall time from POST to `succeeded`, and deploy-service's CPU seconds
#      (its JVM's utime+stime from /proc) over the run, and what the simulated hosts, MariaDB and Redis spent;
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
# and the services on full JIT (./loki's default is a quick start, C1 only, for development)
LOKI_JAVA_OPTS=${LOKI_JAVA_OPTS:--XX:MaxRAMPercentage=10} LOKI_FLEET_HOSTS=$HOSTS LOKI_FLEET_PORT=${LOKI_FLEET_PORT:-2222} LOKI_RATE_LIMIT_PER_SECOND=1000000 LOKI_RATE_LIMIT_BURST=1000000 \
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

# the template of an earlier run on this data directory, or a new one
template=$(api GET "/api/deploy/templates?nodePath=/demo/fleet/app&size=500" | json 'next((t["id"] for t in d["items"] if t["name"] == "bench-noop"), "")')
[ -n "$template" ] || template=$(api POST /api/deploy/templates "{\"name\":\"bench-noop\",\"nodePath\":\"/demo/fleet/app\",\"type\":\"script\",
  \"steps\":[{\"name\":\"noop\",\"command\":\"true\",\"timeoutSeconds\":60}],\"batch\":{\"size\":$HOSTS,\"maxFailures\":\"100%\"}}" | json 'd["id"]')

pid=$(sed -n 's/^service\.deploy-service\.pid=//p' .loki/run/state.properties)
fleet=$(sed -n 's/^devstack\.pid=//p' .loki/run/state.properties)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# the CPU of what else the run costs (the simulated hosts, with their commands; MariaDB; Redis), in seconds
others() {
  local f db rd
  f=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$fleet/stat")
  db=$(cpu "$(pidof mariadbd || pidof mysqld)")
  rd=$(cpu "$(pidof redis-server | cut -d' ' -f1)")
  echo "$f $db $rd"
}
tick=$(getconf CLK_TCK)

# one deployment of the template to every host, timed from the POST to `succeeded`; sets run_wall, run_cpu,
# run_ok and run_hosts run_db run_redis (CPU seconds the simulated hosts, MariaDB and Redis spent meanwhile)
loki_run() {
  local before start id status f0 db0 rd0 f1 db1 rd1
  TOKEN=$(token)
  before=$(cpu "$pid")
  read -r f0 db0 rd0 <<< "$(others)"
  start=$(date +%s.%N)
  id=$(api POST /api/deploy/deployments '{"templateId":'"$template"',"version":"'"$1"'"}' | json 'd["id"]')
  run_id=$id
  status=running
  until [ "$status" = succeeded ] || [ "$status" = paused ] || [ "$status" = failed ]; do
    [ "$(echo "$(date +%s.%N) - $start < $TIMEOUT" | bc)" = 1 ] || { echo "Loki's run did not finish in $TIMEOUT s" >&2; exit 1; }
    sleep 0.2
    status=$(api GET "/api/deploy/deployments/$id" | json 'd["status"]')
  done
  run_wall=$(echo "$(date +%s.%N) - $start" | bc)
  run_cpu=$(echo "($(cpu "$pid") - $before) / $tick" | bc -l)
  read -r f1 db1 rd1 <<< "$(others)"
  run_hosts=$(echo "($f1 - $f0) / $tick" | bc -l)
  run_db=$(echo "($db1 - $db0) / $tick" | bc -l)
  run_redis=$(echo "($rd1 - $rd0) / $tick" | bc -l)
  run_ok=$(api GET "/api/deploy/deployments/$id" | json 'sum(1 for b in d["batches"] for h in b["hosts"] if h["status"]=="succeeded")')
}
# the service's first deployment since it started (its JIT compiling what a deployment runs), then one more
loki_run 1
first_wall=$run_wall first_cpu=$run_cpu first_ok=$run_ok
loki_run 2
loki_wall=$run_wall loki_cpu=$run_cpu loki_ok=$run_ok
# where a host's time goes in that run: its session open until done, and its step (journal of 50 hosts)
timeline=$(api GET "/api/deploy/deployments/$run_id" | python3 -c "
import sys, json, datetime, random
d = json.load(sys.stdin)
t = lambda s: datetime.datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()
hosts = [h for b in d['batches'] for h in b['hosts'] if h.get('startedAt') and h.get('finishedAt')]
first = min(t(h['startedAt']) for h in hosts) - t(d['createdAt'])
mean = sum(t(h['finishedAt']) - t(h['startedAt']) for h in hosts) / len(hosts)
print(f'{first:.2f} {mean:.2f} ' + ' '.join(h['hostname'] for h in random.Random(1).sample(hosts, min(50, len(hosts)))))")
read -r first_host host_mean sample <<< "$timeline"
step_mean=$(for h in $sample; do api GET "/api/deploy/deployments/$run_id/hosts/$h/journal"; echo; done | python3 -c "
import sys, json, datetime
t = lambda s: datetime.datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()
steps = [s for line in sys.stdin if line.strip() for s in json.loads(line) if s.get('finishedAt')]
print(f'{sum(t(s[\"finishedAt\"]) - t(s[\"startedAt\"]) for s in steps) / len(steps):.2f}')")

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
read -r f2 db2 rd2 <<< "$(others)"
export ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_PYTHON_INTERPRETER=auto_silent ANSIBLE_LOCAL_TEMP="$WORK/ansible-local"
/usr/bin/time -f "%e %U %S" -o "$WORK/ansible.time" timeout "$TIMEOUT" \
  ansible all -i "$WORK/inventory" -m raw -a true -f "$FORKS" > "$WORK/ansible.out" 2>&1 || true
read -r ansible_wall ansible_user ansible_sys < "$WORK/ansible.time"
ansible_cpu=$(echo "$ansible_user + $ansible_sys" | bc -l)
read -r f3 db3 rd3 <<< "$(others)"
ansible_ok=$(grep -c '| CHANGED\|| SUCCESS' "$WORK/ansible.out" || true)

echo
echo "Run: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $HOSTS simulated hosts, concurrency $FORKS, one no-op step"
echo
echo "| tool | hosts ok | wall time | hosts/s | control-plane CPU | CPU per host |"
echo "|---|---|---|---|---|---|"
printf "| Loki deploy-service, its first deployment since start | %d | %.1f s | %.1f | %.1f s | %.1f ms |\n" \
  "$first_ok" "$first_wall" "$(echo "$first_ok / $first_wall" | bc -l)" "$first_cpu" "$(echo "$first_cpu * 1000 / $HOSTS" | bc -l)"
printf "| Loki deploy-service (journal, events, logs), the next deployment | %d | %.1f s | %.1f | %.1f s | %.1f ms |\n" \
  "$loki_ok" "$loki_wall" "$(echo "$loki_ok / $loki_wall" | bc -l)" "$loki_cpu" "$(echo "$loki_cpu * 1000 / $HOSTS" | bc -l)"
printf "| Ansible %s \`raw\` -f %d | %d | %.1f s | %.1f | %.1f s | %.1f ms |\n" \
  "$(ansible --version | head -1 | sed 's/.*core //; s/]//')" "$FORKS" "$ansible_ok" "$ansible_wall" \
  "$(echo "$ansible_ok / $ansible_wall" | bc -l)" "$ansible_cpu" "$(echo "$ansible_cpu * 1000 / $HOSTS" | bc -l)"
echo
echo "Loki's next deployment, per host: first host running after ${first_host} s; a host from running (its SSH session open) to done ${host_mean} s on average, its step ${step_mean} s of it (journal: started to finished, 50 hosts)"
echo
echo "Also spent (CPU seconds): simulated hosts (the devstack JVM and the commands it ran), MariaDB, Redis"
printf "| during | simulated hosts | MariaDB | Redis |\n|---|---|---|---|\n"
printf "| Loki's next deployment | %.1f s | %.1f s | %.1f s |\n" "$run_hosts" "$run_db" "$run_redis"
printf "| Ansible's run | %.1f s | %.1f s | %.1f s |\n" "$(echo "($f3 - $f2) / $tick" | bc -l)" "$(echo "($db3 - $db2) / $tick" | bc -l)" \
  "$(echo "($rd3 - $rd2) / $tick" | bc -l)"
echo
printf "Loki / Ansible hosts/s: %.1f×\n" "$(echo "($loki_ok / $loki_wall) / ($ansible_ok / $ansible_wall)" | bc -l)"
