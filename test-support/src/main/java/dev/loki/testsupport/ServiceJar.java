package dev.loki.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.loki.devstack.Ports;

/**
 * Another Loki service, really running: its module's built jar started as a separate JVM on a free
 * port, for tests that cross service boundaries (the gateway in front of auth-service). The reactor
 * builds modules in order, so the jar of an earlier module exists when a later module's tests run.
 */
public final class ServiceJar implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final Map<String, String> environment;

    private ServiceJar(Process process, int port, Path log, Map<String, String> environment) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.environment = Map.copyOf(environment);
    }

    public static ServiceJar start(String module, Map<String, String> environment) {
        return launch(module, List.of("-jar", findJar(module).toString()), environment);
    }

    /**
     * The service under test itself as a process of its own: {@code mainClass} from this test run's
     * classpath (its module's jar is built only after its tests), for what only a process shows, such
     * as {@code kill -9} in the middle of work.
     */
    public static ServiceJar startMain(String name, String mainClass, Map<String, String> environment) {
        return launch(name, List.of("-cp", System.getProperty("java.class.path"), mainClass), environment);
    }

    /** {@code SERVER_PORT} in {@code environment} fixes the port (for a peer whose address was handed out before it started). */
    private static ServiceJar launch(String name, List<String> what, Map<String, String> environment) {
        int port = environment.containsKey("SERVER_PORT") ? Integer.parseInt(environment.get("SERVER_PORT")) : Ports.freePort();
        Path log = Path.of("target", name + "-" + port + ".log").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
        command.addAll(what);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        try {
            ServiceJar service = new ServiceJar(builder.start(), port, log, environment);
            Runtime.getRuntime().addShutdownHook(new Thread(service::close));
            service.awaitReady(Duration.ofSeconds(120));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * auth-service on a fresh database of its own ({@code label_auth}), sharing the test's MariaDB, Redis
     * and key prefix, with the given admin password and signing-key directory; {@code extra} goes on top.
     */
    public static ServiceJar auth(String label, String redisPrefix, String adminPassword, Path keyDir, Map<String, String> extra) {
        Map<String, String> environment = new HashMap<>(TestInfrastructure.storeEnvironment(redisPrefix));
        environment.putAll(Map.of("LOKI_AUTH_DB", TestInfrastructure.newDatabase(label + "_auth"),
                "LOKI_ADMIN_PASSWORD", adminPassword, "LOKI_AUTH_KEY_DIR", keyDir.toString(),
                // no ptree-service unless the test names one: port 1 is never listened on
                "LOKI_PTREE_URI", "http://127.0.0.1:1"));
        environment.putAll(extra);
        return start("auth-service", environment);
    }

    /** Another replica of the same service: same database, Redis prefix and settings, its own ports. */
    public ServiceJar replica(String module) {
        Map<String, String> replica = new HashMap<>(environment);
        replica.remove("LOKI_MANAGEMENT_PORT");
        return start(module, replica);
    }

    /** asset-service on a fresh database of its own ({@code label_asset}), trusting {@code auth}'s tokens. */
    public static ServiceJar asset(String label, String redisPrefix, ServiceJar auth) {
        Map<String, String> environment = new HashMap<>(TestInfrastructure.storeEnvironment(redisPrefix));
        environment.putAll(auth.callerEnvironment());
        environment.put("LOKI_ASSET_DB", TestInfrastructure.newDatabase(label + "_asset"));
        return start("asset-service", environment);
    }

    /** For a service that verifies this auth-service's tokens: where to ask and where its keys are. */
    public Map<String, String> callerEnvironment() {
        return Map.of("LOKI_AUTH_URI", baseUrl(), "LOKI_JWKS_URI", baseUrl() + "/api/auth/jwks");
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited during start-up; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("service not ready within " + timeout + "; see " + log);
    }

    private static Path findJar(String module) {
        Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-[^-]+.*\\.jar")
                            && !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + target + ": build " + module + " first (./mvnw -B verify builds in order)"));
        } catch (IOException e) {
            throw new IllegalStateException("no " + target + ": build " + module + " first (./mvnw -B verify builds in order)", e);
        }
    }

    /** {@code kill -9}: no shutdown hook, no goodbye to its stores or peers; returns once it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the process did not die within 30 s of kill -9");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
