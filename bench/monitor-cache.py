#!/usr/bin/env python3
"""Benchmark of monitor-service's block cache against OpenTSDB itself, each pair from one run.

A dashboard refreshing a 24 h chart of a fleet's CPU is the case the cache exists for. Data: 200 hosts
(metric bench.cpu, one point per host every 15 s over the last 24 h: 1.15 M points), written straight
to OpenTSDB once (re-runs find it). The same OpenTSDB query (5-minute averages per host) is sent
  - warm: through monitor-service after a first call (its final blocks are cached), N times;
  - direct: to OpenTSDB's /api/query, N times;
  - cold: through monitor-service, a query it has never seen (another downsampling each time), and
    the same query direct.
For each: median and p90 time, and the data points read from OpenTSDB per call (the service's counter
loki_monitor_upstream_points_total; for direct calls, the points in OpenTSDB's answer).

Needs a running platform (./loki up -d, started with full JIT as for every benchmark:
LOKI_JAVA_OPTS="-XX:MaxRAMPercentage=10"; restart it before a run so the cold queries are new to it)
and redis-cli:
    bench/monitor-cache.py              # prints a markdown table (and writes bench/results/)
Loopback only; no time limit is asserted: the numbers go to docs/benchmarks.md.
"""
import json, os, statistics, subprocess, sys, time, urllib.error, urllib.request

SERVICE = os.environ.get("LOKI_MONITOR_URL", "http://127.0.0.1:8085")
GATEWAY = os.environ.get("LOKI_URL", "http://127.0.0.1:8080")
OPENTSDB = os.environ.get("LOKI_OPENTSDB_URL", "http://127.0.0.1:4242")
PASSWORD = os.environ.get("LOKI_ADMIN_PASSWORD", "loki-admin")
N = int(os.environ.get("BENCH_N", "20"))
HOSTS = int(os.environ.get("BENCH_HOSTS", "200"))
QUERY = "start=24h-ago&m=avg:5m-avg:bench.cpu%7Bhost=*%7D"
COLD = [f"start=24h-ago&m={agg}:{ds}-{agg}:bench.cpu%7Bhost=*%7D" for agg in ("max", "min") for ds in
        ("1m", "2m", "3m", "4m", "6m", "10m", "12m", "15m", "20m", "30m", "60m")]


def post(url, body, token=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=120) as r:
        text = r.read()
        return json.loads(text) if text else None


def get(url, token=None, no_cache=False):
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if no_cache:
        req.add_header("Cache-Control", "no-cache")
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=60) as r:
        body = r.read()
    return time.perf_counter() - started, body


def upstream_points():
    _, text = get(SERVICE + "/actuator/prometheus")
    for line in text.decode().splitlines():
        if line.startswith("loki_monitor_upstream_points_total"):
            return float(line.split()[-1])
    return 0.0


def ensure_data():
    """Writes bench.cpu for HOSTS hosts every 15 s over the last 24 h, unless an earlier run did (today)."""
    try:
        _, body = get(OPENTSDB + "/api/query?start=24h-ago&m=sum:1h-count:bench.cpu")
        if sum(sum(s["dps"].values()) for s in json.loads(body)) >= HOSTS * 5760 * 0.9:
            return
    except urllib.error.HTTPError:
        pass  # no such metric yet
    now = int(time.time())
    batch = []
    started = time.time()
    for t in range(now - 86_400, now, 15):
        for h in range(HOSTS):
            batch.append({"metric": "bench.cpu", "timestamp": t, "value": round(20 + (h % 50) + 10 * ((t // 60) % 7), 1),
                          "tags": {"host": f"bench-{h:03d}", "idc": "bench"}})
        if len(batch) >= 5000:
            post(OPENTSDB + "/api/put", batch)
            batch = []
    if batch:
        post(OPENTSDB + "/api/put?sync&sync_timeout=60000", batch)
    print(f"wrote {HOSTS * 5760} points in {time.time() - started:.0f} s", file=sys.stderr)
    time.sleep(5)


def flush_blocks():
    """Drops the cached blocks in Redis, so the cold queries (which the service has not seen since its start) read OpenTSDB."""
    prefix = os.environ.get("LOKI_REDIS_KEY_PREFIX", "loki:")
    keys = subprocess.run(["redis-cli", "--scan", "--pattern", prefix + "monitor:blk:*"], capture_output=True, text=True).stdout.split()
    for i in range(0, len(keys), 500):
        subprocess.run(["redis-cli", "del", *keys[i:i + 500]], capture_output=True)


def measure(label, call, queries=None):
    times, points = [], []
    for i in range(N if queries is None else min(N, len(queries))):
        p0 = upstream_points()
        elapsed, body = call() if queries is None else call(queries[i])
        times.append(elapsed * 1000)
        points.append(upstream_points() - p0 if call.__name__ != "direct" else sum(len(s["dps"]) for s in json.loads(body)))
    times.sort()
    return {"label": label, "median": statistics.median(times), "p90": times[int(0.9 * (len(times) - 1))],
            "points": statistics.median(points)}


def main():
    token = post(GATEWAY + "/api/auth/login", {"username": "admin", "password": PASSWORD})["accessToken"]

    ensure_data()

    def service(query=QUERY):
        return get(SERVICE + "/api/monitor/query?" + query, token)

    def service_no_cache(query=QUERY):
        return get(SERVICE + "/api/monitor/query?" + query, token, no_cache=True)

    def direct(query=QUERY):
        return get(OPENTSDB + "/api/query?" + query)

    for _ in range(3):  # warm the JIT and the cache
        service()
        direct()
    rows = [measure("warm, through monitor-service", service), measure("direct to OpenTSDB", direct),
            measure("warm, `Cache-Control: no-cache` (newest part re-read every call)", service_no_cache),
            flush_blocks() or measure("cold, through monitor-service", service, COLD), measure("the same cold queries direct to OpenTSDB", direct, COLD)]
    series = json.loads(direct()[1])
    out = [f"Query: `{QUERY.replace('%7B', '{').replace('%7D', '}')}` ({len(series)} series, "
           f"{sum(len(s['dps']) for s in series)} points answered), {N} calls each, "
           f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", "",
           "| case | median ms | p90 ms | points read from OpenTSDB per call |", "|---|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['label']} | {r['median']:.1f} | {r['p90']:.1f} | {r['points']:.0f} |")
    warm, direct_row, fresh, cold, direct_again = rows
    out += ["", f"Warm vs direct: {direct_row['median'] / warm['median']:.1f}x faster, "
            f"{100 * warm['points'] / max(direct_row['points'], 1):.2f} % of the points read upstream. "
            f"Warm with the newest part re-read vs direct: {direct_row['median'] / fresh['median']:.1f}x faster, "
            f"{100 * fresh['points'] / max(direct_row['points'], 1):.2f} % of the points. "
            f"Cold vs direct: {cold['median'] / direct_again['median']:.2f}x the time."]
    text = "\n".join(out)
    print(text)
    os.makedirs(os.path.join(os.path.dirname(__file__), "results"), exist_ok=True)
    with open(os.path.join(os.path.dirname(__file__), "results", "monitor-cache.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
