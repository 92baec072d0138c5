package dev.loki.ptree.system;

import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.loki.support.ZooKeeperClients;

@Configuration(proxyBeanMethods = false)
class ZooKeeperConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    CuratorFramework curator(PtreeProperties properties) {
        return ZooKeeperClients.curator(properties.zkConnect(), ZooKeeperCalls::noRetryOnceAbandoned);
    }
}
