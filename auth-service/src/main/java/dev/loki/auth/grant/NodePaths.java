package dev.loki.auth.grant;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Service-tree paths ({@code /}, {@code /corp}, {@code /corp/search}) and their ancestry. A grant on
 * a path covers the path and every descendant: {@code /corp} covers {@code /corp/search} but not
 * {@code /corpx}.
 */
public final class NodePaths {

    public static final String REGEX = "^/$|^(/[a-z0-9][a-z0-9_-]{0,62})+$";
    public static final String MESSAGE = "a tree path like /corp/search: segments of a-z, 0-9, '_' or '-' (at most 63, starting with a letter or digit)";
    private static final Pattern PATTERN = Pattern.compile(REGEX);
    public static final int MAX_LENGTH = 700;

    private NodePaths() {
    }

    public static boolean valid(String path) {
        return path != null && path.length() <= MAX_LENGTH && PATTERN.matcher(path).matches();
    }

    /** The path itself and each ancestor up to {@code /}, nearest first. */
    public static List<String> selfAndAncestors(String path) {
        List<String> result = new ArrayList<>();
        String current = path;
        while (!current.equals("/")) {
            result.add(current);
            int slash = current.lastIndexOf('/');
            current = slash == 0 ? "/" : current.substring(0, slash);
        }
        result.add("/");
        return result;
    }

    /** Whether a grant made on {@code granted} covers {@code target}. */
    public static boolean covers(String granted, String target) {
        return granted.equals("/") || target.equals(granted) || target.startsWith(granted + "/");
    }
}
