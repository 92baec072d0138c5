package dev.loki.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * For a second gateway started inside a test JVM: its own Reactor Netty event loops and connection pool.
 * With the JVM-wide ones (Boot's default), closing it would dispose the loops the test's main gateway
 * still serves and calls on. Given to {@code SpringApplicationBuilder.sources(..)}; deliberately no
 * {@code @Configuration}, so component scanning never adds it to the main context.
 */
class OwnNettyResources {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }
}
