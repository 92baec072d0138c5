package dev.loki.deploy.ssh;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * POSIX shell text built from values that must arrive verbatim: every value goes inside single quotes
 * (where nothing is special), so a parameter like {@code $(rm -rf /)} or {@code a'b} reaches the host as
 * those characters and never as shell syntax.
 */
public final class Shell {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private Shell() {
    }

    /** {@code value} as one single-quoted shell word. */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot hold a NUL character");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** One {@code export LOKI_PARAM_<name>='…'} line per parameter, in the map's order. */
    public static String exports(Map<String, String> parameters) {
        StringBuilder lines = new StringBuilder();
        parameters.forEach((name, value) -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a parameter name: " + name);
            }
            lines.append("export LOKI_PARAM_").append(name).append('=').append(quote(value)).append('\n');
        });
        return lines.toString();
    }
}
