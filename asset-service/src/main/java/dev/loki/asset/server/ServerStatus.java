package dev.loki.asset.server;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A server's lifecycle: {@code creating → online ⇄ maintenance}, {@code online → pool},
 * {@code pool → online} (taken back from the resource pool) and {@code → offline} from anywhere;
 * offline is final. Servers in {@code pool} are excluded from every server metric.
 */
public enum ServerStatus {
    CREATING, ONLINE, MAINTENANCE, POOL, OFFLINE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Set<ServerStatus> next() {
        return switch (this) {
            case CREATING -> Set.of(ONLINE, OFFLINE);
            case ONLINE -> Set.of(MAINTENANCE, POOL, OFFLINE);
            case MAINTENANCE -> Set.of(ONLINE, OFFLINE);
            case POOL -> Set.of(ONLINE, OFFLINE);
            case OFFLINE -> Set.of();
        };
    }

    public boolean canBecome(ServerStatus target) {
        return target == this || next().contains(target);
    }

    /** The allowed next states, in lifecycle order, for messages. */
    public List<String> nextWire() {
        return Arrays.stream(values()).filter(next()::contains).map(ServerStatus::wire).toList();
    }

    public static Optional<ServerStatus> of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
    }

    public static final String REGEX = "^(creating|online|maintenance|pool|offline)$";
}
