package dev.loki.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import dev.loki.devstack.Ports;

/**
 * deploy-service as a process of its own (this test run's classes, a JVM of its own), for what only a
 * process can show: {@code kill -9} in the middle of a deployment, and a start afresh on the same database.
 */
public final class DeployProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private DeployProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static DeployProcess start(Map<String, String> properties) {
        int port = Ports.freePort();
        Path log = Path.of("target", "deploy-process-" + port + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "dev.loki.deploy.DeployServiceApplication", "--server.port=" + port));
        properties.forEach((name, value) -> command.add("--" + name + "=" + value));
        try {
            DeployProcess started = new DeployProcess(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                if (!started.process.isAlive()) {
                    throw new IllegalStateException("deploy-service exited during start-up; see " + log);
                }
                return http.send(HttpRequest.newBuilder(URI.create(started.baseUrl() + "/readyz")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** {@code kill -9}: no shutdown hook, no goodbye to MariaDB or the hosts. */
    public void kill() {
        process.destroyForcibly();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
