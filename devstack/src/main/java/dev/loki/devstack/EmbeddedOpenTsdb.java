package dev.loki.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenTSDB for machines that have none: a standalone HBase process (module
 * {@code opentsdb/hbase}, on a Java 17 JVM — Hadoop fails on newer ones) and a TSD process (module
 * {@code opentsdb/tsd}), each with the class path its module wrote at build time, so their old
 * libraries never meet the services'. Data lives under {@code home} and survives restarts (also a
 * kill -9). {@link #close()} stops the TSD before HBase.
 */
public final class EmbeddedOpenTsdb implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Duration HBASE_READY = Duration.ofSeconds(180);
    private static final Duration TSD_READY = Duration.ofSeconds(90);

    private final Process hbase;
    private final Process tsd;
    private final int port;

    private EmbeddedOpenTsdb(Process hbase, Process tsd, int port) {
        this.hbase = hbase;
        this.tsd = tsd;
        this.port = port;
    }

    /** Starts HBase and then the TSD on {@code port}; answers once {@code /api/version} does. */
    public static EmbeddedOpenTsdb start(Path repo, int port, Path home) {
        Path hbaseModule = repo.resolve("opentsdb/hbase/target");
        Path tsdModule = repo.resolve("opentsdb/tsd/target");
        String hbaseClasspath = classpath(hbaseModule) + java.io.File.pathSeparator + moduleJar(hbaseModule);
        String tsdClasspath = classpath(tsdModule);
        String java = java17();
        Process hbase = null;
        try {
            Path data = home.resolve("hbase");
            Path ready = data.resolve("hbase.ready");
            Files.createDirectories(data);
            Files.deleteIfExists(ready);
            List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "--add-modules", "jdk.unsupported"));
            for (String pkg : List.of("java.nio", "sun.nio.ch", "java.lang", "jdk.internal.ref", "java.lang.reflect", "java.util",
                    "java.util.concurrent")) {
                command.addAll(List.of("--add-opens", "java.base/" + pkg + "=ALL-UNNAMED"));
            }
            for (String pkg : List.of("jdk.internal.misc", "sun.net.dns", "sun.net.util")) {
                command.addAll(List.of("--add-exports", "java.base/" + pkg + "=ALL-UNNAMED"));
            }
            command.addAll(List.of("--add-exports", "java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true",
                    "-Dlog4j.configuration=" + hbaseModule.resolve("classes/hbase-log4j.properties").toUri(),
                    "-Dloki.embedded=" + home,
                    "-cp", hbaseClasspath, "dev.loki.opentsdb.hbase.HBaseStandalone",
                    "--data-dir", data.toString(), "--zk-port", Integer.toString(Ports.freePort()),
                    "--master-port", Integer.toString(Ports.freePort()), "--regionserver-port", Integer.toString(Ports.freePort())));
            Path hbaseLog = home.resolve("hbase.log");
            hbase = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(hbaseLog.toFile())).start();
            awaitFile(hbase, ready, HBASE_READY, hbaseLog);
            String zk = Files.readString(ready).strip().substring("zk=".length());

            Path cache = home.resolve("tsd-cache");
            Path staticRoot = home.resolve("tsd-static");
            Files.createDirectories(cache);
            Files.createDirectories(staticRoot);
            Path tsdLog = home.resolve("tsd.log");
            Process tsd = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC",
                    "-Dlogback.configurationFile=" + tsdModule.resolve("classes/tsd-logback.xml"),
                    "-Dloki.embedded=" + home,
                    "-cp", tsdClasspath, "net.opentsdb.tools.TSDMain",
                    "--config", tsdModule.resolve("classes/opentsdb.conf").toString(),
                    "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--staticroot", staticRoot.toString(), "--cachedir", cache.toString(), "--zkquorum", zk)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(tsdLog.toFile())).start();
            EmbeddedOpenTsdb started = new EmbeddedOpenTsdb(hbase, tsd, port);
            try {
                awaitHttp(tsd, port, TSD_READY, tsdLog);
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            return started;
        } catch (IOException e) {
            stop(hbase, Duration.ofSeconds(5));
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop(hbase, Duration.ofSeconds(5));
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The process ids of the TSD and HBase (so a supervisor can stop them after a crash of its own). */
    public List<Long> pids() {
        return List.of(tsd.pid(), hbase.pid());
    }

    @Override
    public void close() {
        stop(tsd, Duration.ofSeconds(10));
        stop(hbase, Duration.ofSeconds(40));
    }

    /** A Java 17 {@code java}: {@code LOKI_OPENTSDB_JAVA}, else a JDK 17 under /usr/lib/jvm, else the one on the PATH if it is 17. */
    static String java17() {
        String configured = System.getenv("LOKI_OPENTSDB_JAVA");
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            Optional<Path> found = jvms.filter(p -> p.getFileName().toString().matches(".*(-|^)17(\\D.*|$)"))
                    .map(p -> p.resolve("bin/java")).filter(Files::isExecutable).sorted().findFirst();
            if (found.isPresent()) {
                return found.get().toString();
            }
        } catch (IOException e) {
            // no /usr/lib/jvm: try the PATH
        }
        try {
            Process version = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
            String text = new String(version.getInputStream().readAllBytes());
            if (text.matches("(?s).*version \"17[.\"].*")) {
                return "java";
            }
        } catch (IOException e) {
            // fall through
        }
        throw new IllegalStateException("the local OpenTSDB's HBase needs a Java 17 runtime (Hadoop fails on newer ones): "
                + "install one (apt-get install openjdk-17-jre-headless) or set LOKI_OPENTSDB_JAVA to its java");
    }

    private static String classpath(Path target) {
        Path file = target.resolve("classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: build first (./mvnw -B -DskipTests install)");
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path moduleJar(Path target) {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + target + ": build first"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitFile(Process process, Path file, Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("HBase exited while starting; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("HBase was not ready within " + timeout.toSeconds() + " s; see " + log);
            }
            sleep();
        }
    }

    private static void awaitHttp(Process process, int port, Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/version"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the OpenTSDB TSD exited while starting; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the OpenTSDB TSD did not answer within " + timeout.toSeconds() + " s; see " + log);
            }
            sleep();
        }
    }

    private static void stop(Process process, Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
