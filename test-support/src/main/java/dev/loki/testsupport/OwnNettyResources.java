package dev.loki.testsupport;

import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * For a second service started inside a test JVM (another replica, a gateway that starts late): Reactor Netty
 * event loops and a connection pool of its own. With the JVM-wide ones (Boot's default), closing it would
 * dispose the loops the test's main context still serves and calls on. Given to
 * {@code SpringApplicationBuilder.sources(..)}; deliberately no {@code @Configuration}, so component scanning
 * never adds it to a main context.
 */
public class OwnNettyResources {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }
}
