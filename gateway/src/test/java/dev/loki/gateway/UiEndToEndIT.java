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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.loki.devstack.Ports;
import dev.loki.events.LokiService;
import dev.loki.testsupport.TestInfrastructure;

/**
 * The web UI end to end, in a real browser: the platform is started the way {@code ./loki up} starts
 * it (devstack's supervisor, every built service jar, demo data), on free ports, its own databases
 * and Redis key prefix; then the browser suite {@code gateway/ui/e2e} (playwright-core driving Debian's
 * Chromium) runs against it and writes screenshots to {@code docs/ui/}; then the hostile-input walk
 * and the supervisor's restart of a killed service run against the same platform.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiEndToEndIT {

    private static final Duration READY = Duration.ofMinutes(5);
    private static final String ADMIN_PASSWORD = "e2e-admin-pass-1";

    Path repo;
    Path data;
    Path devstack;
    Map<String, String> env;
    Process supervisor;
    int gateway;

    @BeforeAll
    void startThePlatformAsLokiUpStartsIt() throws Exception {
        repo = Path.of("..").toAbsolutePath().normalize();
        data = Path.of("target", "e2e-loki").toAbsolutePath();
        deleteTree(data);
        Files.createDirectories(data.resolve("tmp"));
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
        TestInfrastructure.Redis redis = TestInfrastructure.redis();
        gateway = Ports.freePort();
        env = new HashMap<>(Map.of(
                "LOKI_DATA_DIR", data.toString(), "LOKI_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "LOKI_MYSQL_HOST", db.host(), "LOKI_MYSQL_PORT", Integer.toString(db.port()),
                "LOKI_REDIS_HOST", redis.host(), "LOKI_REDIS_PORT", Integer.toString(redis.port()),
                "LOKI_REDIS_KEY_PREFIX", "e2e" + run + ":", "LOKI_OPENTSDB_URL", TestInfrastructure.openTsdb()));
        env.put("LOKI_GATEWAY_PORT", Integer.toString(gateway));
        // the hostile walk is one caller sending thousands of requests: it is judged on the answers, not throttled
        env.put("LOKI_RATE_LIMIT_PER_SECOND", "100000");
        env.put("LOKI_RATE_LIMIT_BURST", "100000");
        env.put("LOKI_ZK_PORT", Integer.toString(Ports.freePort()));
        for (LokiService service : LokiService.backends()) {
            env.put(service.environmentKey() + "_PORT", Integer.toString(Ports.freePort()));
            env.put(service.environmentKey() + "_DB", TestInfrastructure.newDatabase("e2e_" + service.route()));
        }
        try (Stream<Path> jars = Files.list(repo.resolve("devstack/target"))) {
            devstack = jars.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst().orElseThrow();
        }
        ProcessBuilder up = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Djava.io.tmpdir=" + data.resolve("tmp"), "-Dloki.repo=" + repo, "-Dlogback.configurationFile=devstack-logback.xml",
                "-jar", devstack.toString(), "up")
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(data.resolve("devstack.out").toFile());
        up.environment().putAll(env);
        supervisor = up.start();
        awaitReady(supervisor, gateway, data);
    }

    @AfterAll
    void stopThePlatform() throws Exception {
        if (supervisor != null) {
            supervisor.destroy(); // the supervisor stops every service it started
            if (!supervisor.waitFor(90, TimeUnit.SECONDS)) {
                supervisor.destroyForcibly();
            }
        }
    }

    @Test
    @Order(1)
    void browserSuitePassesAgainstThePlatformStartedAsLokiUpStartsIt() throws Exception {
        ProcessBuilder e2e = new ProcessBuilder("npm", "run", "e2e").directory(repo.resolve("gateway/ui").toFile())
                .redirectErrorStream(true).redirectOutput(data.resolve("e2e.out").toFile());
        e2e.environment().putAll(Map.of("LOKI_URL", "http://localhost:" + gateway, "LOKI_ADMIN_PASSWORD", ADMIN_PASSWORD));
        Process suite = e2e.start();
        assertThat(suite.waitFor(10, TimeUnit.MINUTES)).as("the browser suite finishes").isTrue();
        String report = Files.readString(data.resolve("e2e.out"));
        System.out.println(report);
        assertThat(suite.exitValue()).as("browser suite:\n" + report).isZero();
        assertThat(report).contains("# pass ", "# fail 0").doesNotContain("# pass 0");
    }

    /**
     * Issue 11, the hostile-input suite: every operation of every service's OpenAPI document, through
     * the gateway, with junk ({@link HostileInputWalk}); no answer of 500 or more, none without
     * problem+json, no class name or stack trace; what was stored before (the demo data and what the
     * browser suite created) reads back identical afterwards.
     */
    @Test
    @Order(2)
    void hostileInputThroughTheGatewayGetsOnlyProblemAnswersAndChangesNothingStored() throws Exception {
        String admin = login();
        StoredData before = StoredData.read(gateway, admin);
        assertThat(before.size()).as("entities read before the walk").isGreaterThan(30);

        HostileInputWalk walk = new HostileInputWalk(gateway, admin, "127.0.4.1", Duration.ofMinutes(8));
        // every service that is built, so a new one is walked from its first commit
        walk.walk(LokiService.backends().stream().filter(s -> Files.isRegularFile(repo.resolve(s.module()).resolve("pom.xml")))
                .map(LokiService::route).toList());
        System.out.println("hostile walk: " + walk.requests() + " requests over " + walk.operations() + " operations; answers "
                + walk.statuses());
        assertThat(walk.operations()).as("operations walked").isGreaterThanOrEqualTo(60);
        assertThat(walk.requests()).as("requests sent").isGreaterThan(3000);
        assertThat(walk.findings()).as("answers that broke a rule (first 40)")
                .satisfies(f -> assertThat(f.subList(0, Math.min(40, f.size()))).isEmpty());

        StoredData after = StoredData.read(gateway, login());
        assertThat(after.changedSince(before)).as("entities that were there before and read back different").isEmpty();
    }

    /** Issue 11, item 24: a service killed with -9 shows as down and is started again by the supervisor. */
    @Test
    @Order(3)
    void aServiceKilledWithMinus9IsShownDownAndRestarted() throws Exception {
        Path stateFile = data.resolve("run/state.properties");
        long assetPid = Long.parseLong(state(stateFile).getProperty("service.asset-service.pid"));
        ProcessHandle.of(assetPid).orElseThrow().destroyForcibly();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "degraded".equals(state(stateFile).getProperty("status")));
        assertThat(status(devstack, repo, env)).as("./loki status while asset-service is down").isEqualTo(4);
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> "healthy".equals(state(stateFile).getProperty("status")));
        assertThat(Long.parseLong(state(stateFile).getProperty("service.asset-service.pid"))).isNotEqualTo(assetPid);
        assertThat(status(devstack, repo, env)).isZero();
    }

    private String login() throws IOException {
        RawHttp.Answer answer = RawHttp.send("127.0.0.1", gateway, "POST", "/api/auth/login", "Content-Type: application/json\r\n",
                "{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}");
        assertThat(answer.status()).as("admin login: " + answer.body()).isEqualTo(200);
        return StoredData.JSON.readTree(answer.body()).path("accessToken").asString();
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
            if (!supervisor.isAlive()) {
                throw new AssertionError("the supervisor exited (code " + supervisor.exitValue() + ") before the platform was ready:\n"
                        + diagnostics(data));
            }
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
        throw new AssertionError("the platform was not ready with demo data within " + READY + ":\n" + diagnostics(data));
    }

    /** The supervisor's output and the end of every service's log, for a failure message CI shows. */
    private static String diagnostics(Path data) throws IOException {
        StringBuilder out = new StringBuilder("--- devstack.out\n").append(tail(data.resolve("devstack.out"), 40));
        Path logs = data.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> files = Files.list(logs)) {
                for (Path log : files.sorted().toList()) {
                    out.append("--- ").append(log.getFileName()).append('\n').append(tail(log, 15));
                }
            }
        }
        return out.toString();
    }

    private static String tail(Path file, int lines) throws IOException {
        if (!Files.exists(file)) {
            return "(none)\n";
        }
        List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
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
