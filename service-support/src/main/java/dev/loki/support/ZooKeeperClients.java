package dev.loki.support;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * How every Loki service connects to ZooKeeper: one Curator client, 30 s sessions, 10 s to connect,
 * retries backing off from 200 ms to 5 s. Declare it as a bean with {@code initMethod = "start",
 * destroyMethod = "close"}.
 */
public final class ZooKeeperClients {

    private ZooKeeperClients() {
    }

    public static CuratorFramework curator(String connectString) {
        return CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(30_000)
                .connectionTimeoutMs(10_000)
                .retryPolicy(new ExponentialBackoffRetry(200, 5, 5_000))
                .build();
    }
}
