package dev.loki.events;

/**
 * What every service takes for a server's hostname (asset-service stores them, ptree-service binds
 * them, deploy-service plans with them): lower-case DNS labels of letters, digits and {@code -},
 * dot-separated, at most 253 characters.
 */
public final class Hostname {

    /** For {@code @Pattern(regexp = Hostname.PATTERN)}. */
    public static final String PATTERN = "^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$";

    /** What a 400 says about a hostname that is not one. */
    public static final String MESSAGE = "a host name: lower-case letters, digits, '-' and '.'";

    private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);

    /** Whether {@code text} is a hostname (a query parameter, say, where {@code @Pattern} does not reach). */
    public static boolean isValid(String text) {
        return text != null && text.length() <= 253 && COMPILED.matcher(text).matches();
    }

    private Hostname() {
    }
}
