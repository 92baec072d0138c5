package dev.loki.support;

import java.util.function.UnaryOperator;

import org.apache.curator.RetryPolicy;
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
        return curator(connectString, policy -> policy);
    }

    /** The same, with the standard retry policy wrapped by {@code retries} (which may veto retries). */
    public static CuratorFramework curator(String connectString, UnaryOperator<RetryPolicy> retries) {
        return CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(30_000)
                .connectionTimeoutMs(10_000)
                .retryPolicy(retries.apply(new ExponentialBackoffRetry(200, 5, 5_000)))
                .build();
    }
}
