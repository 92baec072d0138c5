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
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** One service JVM started from its module's Spring Boot jar, logging to {@code .loki/logs}. */
final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final StackConfig.ServiceSpec spec;
    private final Process process;
    private final Path log;

    private ServiceProcess(StackConfig.ServiceSpec spec, Process process, Path log) {
        this.spec = spec;
        this.process = process;
        this.log = log;
    }

    /** The executable jar of a module, if it was built. */
    static Optional<Path> jarOf(Path repo, String module) {
        Path target = repo.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(module + "-") && name.endsWith(".jar")
                        && !name.endsWith("-plain.jar") && !name.endsWith("-sources.jar") && !name.endsWith("-tests.jar") && !name.endsWith("-exec.jar");
            }).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static ServiceProcess start(StackConfig.ServiceSpec spec, Path jar, Map<String, String> env, Path logs) throws IOException {
        Files.createDirectories(logs);
        Path log = logs.resolve(spec.name() + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(javaOptions().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("SERVER_PORT", Integer.toString(spec.port()));
        // actuator (metrics) on its own port: the service's port + 1000 (gateway 9080, auth-service 9081, ...)
        builder.environment().put("LOKI_MANAGEMENT_PORT", Integer.toString(spec.port() + 1000));
        return new ServiceProcess(spec, builder.start(), log);
    }

    /**
     * JVM options for the services: {@code LOKI_JAVA_OPTS}, or by default a quick start (C1 only) for
     * development. Benchmarks set full JIT, e.g. {@code LOKI_JAVA_OPTS="-XX:MaxRAMPercentage=10"}.
     */
    static String javaOptions() {
        String options = System.getenv("LOKI_JAVA_OPTS");
        return options == null || options.isBlank() ? "-XX:TieredStopAtLevel=1 -Xss512k -XX:MaxRAMPercentage=10" : options.strip();
    }

    static boolean healthy(int port) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    StackConfig.ServiceSpec spec() {
        return spec;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit code once it exited; -1 while it runs. */
    int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    Path log() {
        return log;
    }

    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
