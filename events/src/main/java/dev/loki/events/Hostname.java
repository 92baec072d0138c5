package dev.loki.events;

/**
 * What every service takes for a server's hostname (asset-service stores them, ptree-service binds
 * them, deploy-service plans with them): lower-case DNS labels of letters, digits and {@code -},
 * dot-separated, at most 253 characters.
 */
public final class Hostname {

    /** For {@code @Pattern(regexp = Hostname.PATTERN)}. */
    public static final String PATTERN = "^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$";

    private Hostname() {
    }
}
