package dev.loki.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * ZooKeeper's own embedded server, standalone, with data under {@code dir} (survives kill -9).
 * {@link ExitHandler#LOG_ONLY} keeps a ZooKeeper failure from exiting the whole JVM.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    private final ZooKeeperServerEmbedded server;
    private final int port;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedZooKeeper start(int port, Path dir) {
        try {
            Files.createDirectories(dir);
            Properties config = new Properties();
            config.setProperty("clientPort", Integer.toString(port));
            config.setProperty("clientPortAddress", "127.0.0.1");
            config.setProperty("dataDir", dir.resolve("data").toAbsolutePath().toString());
            config.setProperty("tickTime", "2000");
            config.setProperty("initLimit", "10");
            config.setProperty("syncLimit", "5");
            config.setProperty("admin.enableServer", "false");
            config.setProperty("4lw.commands.whitelist", "ruok,stat,srvr,mntr");
            ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                    .baseDir(dir.toAbsolutePath())
                    .configuration(config)
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
            server.start(30_000);
            return new EmbeddedZooKeeper(server, port);
        } catch (Exception e) {
            throw new IllegalStateException("embedded ZooKeeper did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
    }
}
