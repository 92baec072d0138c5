package dev.loki.monitor.system;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ZooKeeperConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    CuratorFramework curator(MonitorProperties properties) {
        return CuratorFrameworkFactory.builder()
                .connectString(properties.zkConnect())
                .sessionTimeoutMs(30_000)
                .connectionTimeoutMs(10_000)
                .retryPolicy(new ExponentialBackoffRetry(200, 5, 5_000))
                .build();
    }
}
