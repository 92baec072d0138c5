package dev.loki.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring Boot service under test at real infrastructure: its own fresh database (schema by
 * Flyway at start-up) and its own Redis key prefix. Call from a {@code @DynamicPropertySource}.
 */
public final class LokiTestProperties {

    private LokiTestProperties() {
    }

    /** Registers database, Flyway and Redis properties; answers the database name. */
    public static String register(DynamicPropertyRegistry registry, String label) {
        String database = registerDatabase(registry, label);
        registerRedis(registry, label);
        return database;
    }

    /** Registers database and Flyway properties for a fresh database; answers its name. */
    public static String registerDatabase(DynamicPropertyRegistry registry, String label) {
        String database = TestInfrastructure.newDatabase(label);
        database(database).forEach((name, value) -> registry.add(name, () -> value));
        return database;
    }

    /** The database and Flyway properties of a service on {@code database} (for a service started as a process too). */
    public static Map<String, String> database(String database) {
        TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", db.r2dbcUrl(database));
        properties.put("spring.r2dbc.username", db.user());
        properties.put("spring.r2dbc.password", db.password());
        properties.put("spring.flyway.url", db.jdbcUrl(database));
        properties.put("spring.flyway.user", db.user());
        properties.put("spring.flyway.password", db.password());
        return properties;
    }

    /** The Redis properties of a service using key prefix {@code prefix}. */
    public static Map<String, String> redis(String prefix) {
        TestInfrastructure.Redis redis = TestInfrastructure.redis();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", Integer.toString(redis.port()));
        properties.put("loki.redis.key-prefix", prefix);
        return properties;
    }

    /** Registers Redis host, port and a fresh key prefix; answers the prefix (give it to services started alongside). */
    public static String registerRedis(DynamicPropertyRegistry registry, String label) {
        String prefix = TestInfrastructure.newKeyPrefix(label);
        redis(prefix).forEach((name, value) -> registry.add(name, () -> value));
        return prefix;
    }
}
