package dev.loki.testsupport;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every Spring context started in a test JVM the JVM's internal token
 * ({@link TestInfrastructure#INTERNAL_TOKEN}) as {@code LOKI_INTERNAL_TOKEN}, unless the test sets one,
 * so services under test and the jars they talk to accept each other's {@code /internal/**} calls.
 */
public class InternalTokenForTests implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("lokiTestInternalToken",
                Map.of("LOKI_INTERNAL_TOKEN", TestInfrastructure.INTERNAL_TOKEN)));
    }
}
