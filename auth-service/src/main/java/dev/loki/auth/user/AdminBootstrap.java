package dev.loki.auth.user;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import dev.loki.auth.system.AuthProperties;

/**
 * Creates the {@code admin} account on the first start of an installation from {@code LOKI_ADMIN_PASSWORD};
 * refuses to start without it then. Done once: the step is recorded in the {@code bootstrap} table with
 * the account, so an admin account deleted (or renamed away) later is not re-created with the secret's
 * password at the next start, and an existing one is never overwritten.
 */
@Component
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final String STEP = "admin-account";

    private final UserRepository users;
    private final UserService service;
    private final AuthProperties properties;

    AdminBootstrap(UserRepository users, UserService service, AuthProperties properties) {
        this.users = users;
        this.service = service;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (Boolean.TRUE.equals(users.bootstrapDone(STEP).block(Duration.ofSeconds(30)))) {
            return;
        }
        if (Boolean.TRUE.equals(users.exists("admin").block(Duration.ofSeconds(30)))) {
            users.markBootstrapDone(STEP).block(Duration.ofSeconds(30));
            return;
        }
        String password = properties.adminPassword();
        if (password == null || password.isBlank()) {
            throw new IllegalStateException("No admin account exists yet: set LOKI_ADMIN_PASSWORD (8-72 characters) for the first start.");
        }
        if (password.length() < 8 || password.length() > 72) {
            throw new IllegalStateException("LOKI_ADMIN_PASSWORD must be 8-72 characters long.");
        }
        service.create(new CreateUserRequest("admin", password, "Administrator", null, true, List.of()))
                .then(users.markBootstrapDone(STEP))
                .block(Duration.ofSeconds(30));
        log.info("created the admin account from LOKI_ADMIN_PASSWORD");
    }
}
