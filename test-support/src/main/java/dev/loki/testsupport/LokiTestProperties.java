package dev.loki.testsupport;

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
        TestInfrastructure.MariaDb db = TestInfrastructure.mariaDb();
        String database = TestInfrastructure.newDatabase(label);
        registry.add("spring.r2dbc.url", () -> db.r2dbcUrl(database));
        registry.add("spring.r2dbc.username", db::user);
        registry.add("spring.r2dbc.password", db::password);
        registry.add("spring.flyway.url", () -> db.jdbcUrl(database));
        registry.add("spring.flyway.user", db::user);
        registry.add("spring.flyway.password", db::password);
        return database;
    }

    /** Registers Redis host, port and a fresh key prefix; answers the prefix (give it to services started alongside). */
    public static String registerRedis(DynamicPropertyRegistry registry, String label) {
        TestInfrastructure.Redis redis = TestInfrastructure.redis();
        String prefix = TestInfrastructure.newKeyPrefix(label);
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
        registry.add("loki.redis.key-prefix", () -> prefix);
        return prefix;
    }
}
