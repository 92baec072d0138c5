package dev.loki.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Demo content for {@code ./loki up} (off with {@code LOKI_DEMO=false}): a small tree, servers bound to
 * it (one in the resource pool), URLs, and living series — host and URL metrics exactly as collectors
 * write them (docs/api.md), backfilled over the last 24 h on the first start and then written every
 * 15 s through the gateway, so a new user sees charts move. Everything goes through the public API.
 */
final class DemoData implements Runnable {

    private static final Duration STEP = Duration.ofSeconds(15);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");

    /** A demo server: hostname, tree node, resting CPU level. */
    private record Host(String hostname, String node, double cpu, boolean pool, double trafficRatio) {
    }

    /** A demo URL: domain, path, tree node, requests per minute, mean response time. */
    private record Url(String domain, String path, String node, double perMinute, double ms) {
    }

    private static final List<Host> HOSTS = List.of(
            // traffic ratios add up to 1 on each node (demo-web-03 is the smaller box), so weights mean something
            new Host("demo-web-01", "/demo/shop/web", 35, false, 0.4), new Host("demo-web-02", "/demo/shop/web", 40, false, 0.4),
            new Host("demo-web-03", "/demo/shop/web", 30, false, 0.2), new Host("demo-api-01", "/demo/shop/api", 55, false, 0.5),
            new Host("demo-api-02", "/demo/shop/api", 50, false, 0.5), new Host("demo-search-01", "/demo/search/frontend", 65, false, 0.5),
            new Host("demo-search-02", "/demo/search/frontend", 60, false, 0.5), new Host("demo-pool-01", null, 3, true, 0));
    private static final List<Url> URLS = List.of(
            new Url("shop.demo.loki", "/", "/demo/shop/web", 1200, 45), new Url("shop.demo.loki", "/cart", "/demo/shop/web", 300, 80),
            new Url("api.demo.loki", "/v1/orders", "/demo/shop/api", 600, 120), new Url("search.demo.loki", "/q", "/demo/search/frontend", 2400, 60));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String gateway;
    private final String password;
    private final Path marker;
    private final Random random = new Random(7);
    private String token;

    private final Path home;
    private final int fleetHosts;

    DemoData(int gatewayPort, String adminPassword, Path home, int fleetHosts) {
        this.gateway = "http://127.0.0.1:" + gatewayPort;
        this.password = adminPassword;
        this.marker = home.resolve("demo-backfilled");
        this.home = home;
        this.fleetHosts = fleetHosts;
    }

    @Override
    public void run() {
        try {
            login();
            setUp();
            if (fleetHosts > 0) {
                setUpFleet();
            }
            if (!Files.exists(marker)) {
                long now = System.currentTimeMillis() / 1000;
                List<String> points = new ArrayList<>();
                for (long t = now - 86_400; t < now; t += 60) {
                    points.addAll(sample(t, 60));
                    if (points.size() >= 4000) {
                        put(points);
                        points.clear();
                    }
                }
                put(points);
                Files.writeString(marker, Long.toString(now));
            }
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.currentTimeMillis() / 1000;
                try {
                    put(sample(now, STEP.toSeconds()));
                } catch (IOException e) {
                    login(); // the token expired, or a service restarted: try again next round
                }
                Thread.sleep(STEP.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            System.err.println("loki: demo data stopped: " + e.getMessage());
        }
    }

    private void setUp() throws IOException, InterruptedException {
        call("POST", "/api/asset/idcs", "{\"name\":\"demo-bj\",\"location\":\"Beijing\",\"network\":\"10.77.0.0/16\"}");
        for (String[] node : new String[][] {{"/", "demo"}, {"/demo", "shop"}, {"/demo/shop", "web"}, {"/demo/shop", "api"},
                {"/demo", "search"}, {"/demo/search", "frontend"}}) {
            call("POST", "/api/ptree/nodes", "{\"parentPath\":\"" + node[0] + "\",\"name\":\"" + node[1] + "\"}");
        }
        int n = 1;
        for (Host host : HOSTS) {
            call("POST", "/api/asset/servers", "{\"hostname\":\"" + host.hostname() + "\",\"sn\":\"DEMO-" + host.hostname()
                    + "\",\"idc\":\"demo-bj\",\"status\":\"online\",\"privateIps\":[\"10.77.0." + (10 + n++) + "\"],\"cpuCores\":8,"
                    + "\"memoryMb\":16384,\"diskGb\":200,\"os\":\"Debian 12\"}");
            if (host.pool()) {
                String server = call("GET", "/api/asset/servers/by-hostname/" + host.hostname(), null);
                Matcher id = ID.matcher(server);
                if (id.find()) {
                    call("PATCH", "/api/asset/servers/" + id.group(1), "{\"status\":\"pool\"}");
                }
            } else {
                String node = bind(host.node(), "/servers", "{\"hostnames\":[\"" + host.hostname() + "\"]}");
                if (node != null) {
                    call("PATCH", "/api/ptree/nodes/" + node + "/servers/" + host.hostname(), "{\"trafficRatio\":" + host.trafficRatio() + "}");
                }
            }
        }
        for (Url url : URLS) {
            bind(url.node(), "/urls", "{\"domain\":\"" + url.domain() + "\",\"path\":\"" + url.path() + "\"}");
        }
    }

    /**
     * The simulated fleet as servers of {@code /demo/fleet/app}: {@code fleet-01}, … at 127.0.1.1, …, in
     * two IDCs by turns, sharing the node's traffic evenly; a {@code script} template that deploys in
     * three batches (one canary host, half, the rest) and a {@code java} template whose packages are
     * files under {@code .loki/fleet/packages}.
     */
    private void setUpFleet() throws IOException, InterruptedException {
        call("POST", "/api/asset/idcs", "{\"name\":\"demo-fleet-a\",\"location\":\"loopback A\",\"network\":\"127.0.0.0/9\"}");
        call("POST", "/api/asset/idcs", "{\"name\":\"demo-fleet-b\",\"location\":\"loopback B\",\"network\":\"127.128.0.0/9\"}");
        call("POST", "/api/ptree/nodes", "{\"parentPath\":\"/demo\",\"name\":\"fleet\"}");
        call("POST", "/api/ptree/nodes", "{\"parentPath\":\"/demo/fleet\",\"name\":\"app\"}");
        List<String> hostnames = new ArrayList<>();
        for (int i = 0; i < fleetHosts; i++) {
            String hostname = String.format("fleet-%02d", i + 1);
            hostnames.add(hostname);
            call("POST", "/api/asset/servers", "{\"hostname\":\"" + hostname + "\",\"sn\":\"FLEET-" + hostname + "\",\"idc\":\"demo-fleet-"
                    + (i % 2 == 0 ? "a" : "b") + "\",\"status\":\"online\",\"privateIps\":[\"" + Fleet.address(i) + "\"],\"cpuCores\":2,"
                    + "\"memoryMb\":4096,\"diskGb\":40,\"os\":\"Simulated (devstack Fleet)\"}");
        }
        Matcher found = ID.matcher(call("GET", "/api/ptree/nodes?path=/demo/fleet/app", null));
        if (!found.find()) {
            return;
        }
        String node = found.group(1);
        // a request naming a server bound there already is refused as a whole: bind only the others, 100 at a time
        String bound = String.valueOf(call("GET", "/api/ptree/nodes/" + node + "/servers", null));
        List<String> unbound = hostnames.stream().filter(h -> !bound.contains("\"" + h + "\"")).toList();
        for (int from = 0; from < unbound.size(); from += 100) {
            List<String> chunk = unbound.subList(from, Math.min(unbound.size(), from + 100));
            call("POST", "/api/ptree/nodes/" + node + "/servers", "{\"hostnames\":[\"" + String.join("\",\"", chunk) + "\"]}");
        }
        double ratio = Math.floor(1000.0 / fleetHosts) / 1000;
        for (String hostname : hostnames) {
            call("PATCH", "/api/ptree/nodes/" + node + "/servers/" + hostname, "{\"trafficRatio\":" + ratio + "}");
        }
        Path packages = home.resolve("fleet").resolve("packages");
        Files.createDirectories(packages);
        for (String version : List.of("1.0.0", "1.1.0")) {
            Files.writeString(packages.resolve("demo-app-" + version + ".jar"), "demo-app " + version + "\n");
        }
        call("POST", "/api/deploy/templates", "{\"name\":\"hello-fleet\",\"nodePath\":\"/demo/fleet/app\",\"type\":\"script\","
                + "\"steps\":[" + step("prepare", "mkdir -p app && echo \"preparing $LOKI_VERSION on $LOKI_FLEET_HOST\"")
                + "," + step("deploy", "echo \"$LOKI_VERSION\" > app/VERSION && echo \"$LOKI_PARAM_greeting from $LOKI_VERSION\"")
                + "," + step("verify", "test \"$(cat app/VERSION)\" = \"$LOKI_VERSION\" && echo ok") + "],"
                + "\"batch\":{\"ramp\":\"1 50% 100%\",\"maxFailures\":\"0\",\"onFailure\":\"pause\"},"
                + "\"parameters\":{\"greeting\":\"hello\"}}");
        call("POST", "/api/deploy/templates", "{\"name\":\"demo-app\",\"nodePath\":\"/demo/fleet/app\",\"type\":\"java\","
                + "\"java\":{\"packageUrl\":" + json("file://" + packages.toAbsolutePath() + "/demo-app-${version}.jar") + ","
                + "\"installDir\":\"~/demo-app\",\"stopCommand\":" + json("rm -f ~/demo-app/running") + ","
                + "\"startCommand\":" + json("cat ~/demo-app/current.jar > ~/demo-app/running") + "},"
                + "\"healthCheck\":{\"command\":" + json("grep -q \"$LOKI_VERSION\" ~/demo-app/running") + ",\"retries\":2,\"intervalSeconds\":1},"
                + "\"batch\":{\"ramp\":\"1 50% 100%\",\"perIdcConcurrency\":3,\"maxFailures\":\"10%\"}}");
    }

    private static String step(String name, String command) {
        return "{\"name\":" + json(name) + ",\"command\":" + json(command) + ",\"timeoutSeconds\":60}";
    }

    /** {@code text} as a JSON string. */
    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Binds to the node at {@code nodePath}; answers its id (null when there is no such node). */
    private String bind(String nodePath, String what, String body) throws IOException, InterruptedException {
        Matcher id = ID.matcher(call("GET", "/api/ptree/nodes?path=" + nodePath, null));
        if (!id.find()) {
            return null;
        }
        call("POST", "/api/ptree/nodes/" + id.group(1) + what, body);
        return id.group(1);
    }

    /** One interval of every demo series, ending at {@code t}. */
    private List<String> sample(long t, long seconds) {
        List<String> points = new ArrayList<>();
        double day = Math.sin(2 * Math.PI * ((t + 6 * 3600) % 86_400) / 86_400.0); // busiest mid-afternoon
        for (Host host : HOSTS) {
            String tags = "{\"host\":\"" + host.hostname() + "\",\"idc\":\"demo-bj\"}";
            double cpu = clamp(host.cpu() * (1 + 0.35 * day) + random.nextGaussian() * 4);
            points.add(point("host.cpu.usage", t, cpu, tags));
            points.add(point("host.mem.usage", t, clamp(45 + host.cpu() / 3 + random.nextGaussian() * 2), tags));
            points.add(point("host.disk.usage", t, clamp(30 + host.hostname().length() + ((t / 3600) % 24) * 0.1),
                    "{\"host\":\"" + host.hostname() + "\",\"idc\":\"demo-bj\",\"mount\":\"/\"}"));
            points.add(point("host.net.in.bytes", t, Math.max(0, cpu * 40_000 + random.nextGaussian() * 20_000), tags));
            points.add(point("host.net.out.bytes", t, Math.max(0, cpu * 90_000 + random.nextGaussian() * 40_000), tags));
        }
        for (Url url : URLS) {
            String tags = "\"domain\":\"" + url.domain() + "\",\"path\":\"" + url.path() + "\"";
            double requests = Math.max(0, url.perMinute() * seconds / 60.0 * (1 + 0.5 * day) * (0.9 + random.nextDouble() * 0.2));
            boolean incident = (t / 600) % 37 == 0; // now and then a bad ten minutes
            double fiveXx = requests * (incident ? 0.08 : 0.002);
            double fourXx = requests * 0.03;
            double threeXx = requests * 0.05;
            double twoXx = Math.max(0, requests - fiveXx - fourXx - threeXx);
            for (Object[] status : new Object[][] {{"2xx", twoXx}, {"3xx", threeXx}, {"4xx", fourXx}, {"5xx", fiveXx}}) {
                points.add(point("url.requests", t, Math.round((double) status[1]), "{" + tags + ",\"status\":\"" + status[0] + "\"}"));
            }
            points.add(point("url.responsetime", t, url.ms() * (1 + 0.3 * day + (incident ? 1.5 : 0)) + random.nextGaussian() * 5, "{" + tags + "}"));
            points.add(point("url.bytes", t, Math.round(requests * 18_000), "{" + tags + "}"));
        }
        return points;
    }

    private void put(List<String> points) throws IOException, InterruptedException {
        if (points.isEmpty()) {
            return;
        }
        String status = call("POST", "/api/monitor/put", "[" + String.join(",", points) + "]");
        if (status == null) {
            throw new IOException("put refused");
        }
    }

    private void login() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/api/auth/login"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password.replace("\"", "\\\"") + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IOException("admin login failed (" + response.statusCode() + ")");
        }
        token = m.group(1);
    }

    /** Answers the body of a 2xx (or of a 409: the thing exists already), null otherwise. */
    private String call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int code = response.statusCode();
        if (code == 401) {
            throw new IOException("unauthorized");
        }
        return code / 100 == 2 || code == 409 ? response.body() : null;
    }

    private static String point(String metric, long t, double value, String tags) {
        return "{\"metric\":\"" + metric + "\",\"timestamp\":" + t + ",\"value\":" + (Math.round(value * 100) / 100.0) + ",\"tags\":" + tags + "}";
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(100, value));
    }
}
