package dev.loki.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.loki.devstack.Ports;
import dev.loki.testsupport.TestInfrastructure;

/**
 * The web UI end to end, in a real browser: the platform is started the way {@code ./loki up} starts
 * it (devstack's supervisor, every built service jar, demo data), on free ports, its own databases
 * and Redis key prefix; then the browser suite {@code gateway/ui/e2e} (playwright-core driving Debian's
 * Chromium) runs against it and writes screenshots to {@code docs/ui/}.
 */
class UiEndToEndIT {

    private static final Duration READY = Duration.ofMinutes(5);

    @Test
    void browserSuitePassesAgainstThePlatformStartedAsLokiUpStartsIt() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Path data = Path.of("target", "e2e-loki").toAbsolutePath();
        deleteTree(data);
        Files.createDirectories(data.resolve("tmp"));
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
        TestInfrastructure.Redis redis = TestInfrastructure.redis();
        int gateway = Ports.freePort();
        Map<String, String> env = new HashMap<>(Map.of(
                "LOKI_DATA_DIR", data.toString(), "LOKI_ADMIN_PASSWORD", "e2e-admin-pass-1",
                "LOKI_MYSQL_HOST", db.host(), "LOKI_MYSQL_PORT", Integer.toString(db.port()),
                "LOKI_REDIS_HOST", redis.host(), "LOKI_REDIS_PORT", Integer.toString(redis.port()),
                "LOKI_REDIS_KEY_PREFIX", "e2e" + run + ":", "LOKI_OPENTSDB_URL", TestInfrastructure.openTsdb()));
        env.put("LOKI_GATEWAY_PORT", Integer.toString(gateway));
        for (String service : List.of("AUTH", "ASSET", "PTREE", "DEPLOY", "MONITOR", "ALARM", "ZK")) {
            env.put("LOKI_" + service + "_PORT", Integer.toString(Ports.freePort()));
        }
        for (String service : List.of("AUTH", "ASSET", "PTREE", "MONITOR")) {
            env.put("LOKI_" + service + "_DB", TestInfrastructure.newDatabase("e2e_" + service.toLowerCase()));
        }
        Path devstack;
        try (Stream<Path> jars = Files.list(repo.resolve("devstack/target"))) {
            devstack = jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst().orElseThrow();
        }
        ProcessBuilder up = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Djava.io.tmpdir=" + data.resolve("tmp"), "-Dloki.repo=" + repo, "-jar", devstack.toString(), "up")
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(data.resolve("devstack.out").toFile());
        up.environment().putAll(env);
        Process supervisor = up.start();
        try {
            awaitReady(supervisor, gateway, data);
            ProcessBuilder e2e = new ProcessBuilder("npm", "run", "e2e").directory(repo.resolve("gateway/ui").toFile())
                    .redirectErrorStream(true).redirectOutput(data.resolve("e2e.out").toFile());
            e2e.environment().putAll(Map.of("LOKI_URL", "http://localhost:" + gateway, "LOKI_ADMIN_PASSWORD", "e2e-admin-pass-1"));
            Process suite = e2e.start();
            assertThat(suite.waitFor(10, TimeUnit.MINUTES)).as("the browser suite finishes").isTrue();
            String report = Files.readString(data.resolve("e2e.out"));
            System.out.println(report);
            assertThat(suite.exitValue()).as("browser suite:\n" + report).isZero();
            assertThat(report).contains("# pass ", "# fail 0").doesNotContain("# pass 0");

            // issue 11, item 24: a service killed with -9 shows as down and is started again by the supervisor
            Path stateFile = data.resolve("run/state.properties");
            long assetPid = Long.parseLong(state(stateFile).getProperty("service.asset-service.pid"));
            ProcessHandle.of(assetPid).orElseThrow().destroyForcibly();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "degraded".equals(state(stateFile).getProperty("status")));
            assertThat(status(devstack, repo, env)).as("./loki status while asset-service is down").isEqualTo(4);
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> "healthy".equals(state(stateFile).getProperty("status")));
            assertThat(Long.parseLong(state(stateFile).getProperty("service.asset-service.pid"))).isNotEqualTo(assetPid);
            assertThat(status(devstack, repo, env)).isZero();
        } finally {
            supervisor.destroy(); // the supervisor stops every service it started
            if (!supervisor.waitFor(90, TimeUnit.SECONDS)) {
                supervisor.destroyForcibly();
            }
        }
    }

    private static java.util.Properties state(Path file) throws IOException {
        java.util.Properties state = new java.util.Properties();
        try (var in = Files.newInputStream(file)) {
            state.load(in);
        }
        return state;
    }

    /** The exit code of {@code ./loki status} (the devstack jar's {@code status}). */
    private static int status(Path devstack, Path repo, Map<String, String> env) throws Exception {
        ProcessBuilder status = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Dloki.repo=" + repo,
                "-jar", devstack.toString(), "status").directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        status.environment().putAll(env);
        Process process = status.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    /** Until the gateway is healthy and the demo data (24 h backfill) is written. */
    private static void awaitReady(Process supervisor, int gateway, Path data) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(supervisor.isAlive()).as("the supervisor runs; see " + data.resolve("devstack.out")).isTrue();
            boolean healthy;
            try {
                healthy = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gateway + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                healthy = false;
            }
            if (healthy && Files.exists(data.resolve("demo-backfilled"))) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the platform was not ready with demo data within " + READY + "; see " + data);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
