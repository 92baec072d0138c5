package dev.loki.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.loki.devstack.EmbeddedRedis;
import dev.loki.devstack.Ports;

/**
 * A Redis server of the test's own (never the machine's shared one), for fault tests: it can be made
 * to hang ({@link #pause()}: SIGSTOP, connections stay open and nothing answers), come back
 * ({@link #resume()}) or go away ({@link #close()}).
 */
public final class PausableRedis implements AutoCloseable {

    private volatile EmbeddedRedis server;
    private final Path dir;
    private final int port;

    private PausableRedis(EmbeddedRedis server, Path dir) {
        this.server = server;
        this.dir = dir;
        this.port = server.port();
    }

    public static PausableRedis start() {
        try {
            Path dir = Files.createTempDirectory("loki-fault-redis");
            return new PausableRedis(EmbeddedRedis.start(Ports.freePort(), dir), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Stops the server (every connection drops) and starts it again on the same port, with its data. */
    public void restart() {
        down();
        up();
    }

    /** Stops the server: connections are refused until {@link #up()}. */
    public void down() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again on its port, with its data. */
    public void up() {
        if (server == null) {
            server = EmbeddedRedis.start(port, dir);
        }
    }

    /** The environment a service jar needs to use this Redis (on top of {@link TestInfrastructure#storeEnvironment}). */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of("LOKI_REDIS_HOST", "127.0.0.1", "LOKI_REDIS_PORT", Integer.toString(port()));
    }

    public void pause() {
        signal("-STOP");
    }

    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        try {
            String pid = Files.readString(dir.resolve("redis.pid")).strip();
            Process kill = new ProcessBuilder("kill", signal, pid).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            resume();
            server.close();
        }
    }
}
