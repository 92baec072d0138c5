package dev.loki.alarm;

import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * For a second alarm-service started inside a test JVM: its own Reactor Netty event loops and connection pool,
 * so closing it does not dispose the JVM-wide ones the test's main context still uses. Given to
 * {@code SpringApplicationBuilder.sources(..)}; deliberately no {@code @Configuration}.
 */
class OwnNettyResources {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }
}
