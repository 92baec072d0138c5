package dev.loki.events;

import java.util.ArrayList;
import java.util.List;

/**
 * A path in the service tree: {@code /} or segments like {@code /corp/search/web-api}. Every service
 * takes paths through this type (request bodies, query parameters, stream entries, stored columns), so
 * the grammar, the length limit and what "covers" means are written once.
 *
 * <p>Grammar: each segment is 1–63 characters of {@code a-z 0-9 _ -}, starting with a letter or a
 * digit; the whole path is at most {@value #MAX_LENGTH} characters (every store keeps that many; no
 * store ever truncates one). Checked in one pass over the characters, never by a backtracking regex.
 *
 * @param value the path as text, e.g. {@code /corp/search}
 */
public record NodePath(String value) {

    public static final int MAX_LENGTH = 512;
    public static final int MAX_SEGMENT = 63;
    public static final String MESSAGE = "a tree path like /corp/search: segments of a-z, 0-9, '_' or '-' (1-63, starting with a "
            + "letter or digit), at most " + MAX_LENGTH + " characters in all";
    public static final NodePath ROOT = new NodePath("/");

    public NodePath {
        if (!isValid(value)) {
            throw new IllegalArgumentException(MESSAGE);
        }
    }

    /** The path, or {@link IllegalArgumentException} with {@link #MESSAGE}. */
    public static NodePath of(String value) {
        return new NodePath(value);
    }

    /** Whether {@code text} is a valid path: linear in its length, bounded by {@link #MAX_LENGTH}. */
    public static boolean isValid(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH || text.charAt(0) != '/') {
            return false;
        }
        if (text.length() == 1) {
            return true;
        }
        int segment = 0;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/') {
                if (segment == 0) {
                    return false;
                }
                segment = 0;
            } else if (segment == 0 ? isLetterOrDigit(c) : isLetterOrDigit(c) || c == '_' || c == '-') {
                if (++segment > MAX_SEGMENT) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return segment > 0;
    }

    /** Whether {@code name} may be one segment of a path. */
    public static boolean isValidName(String name) {
        return name != null && !name.isEmpty() && name.indexOf('/') < 0 && isValid("/" + name);
    }

    private static boolean isLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    public boolean isRoot() {
        return value.equals("/");
    }

    /** Whether a grant, rule or subscription made on this path covers {@code other}: itself and every descendant. */
    public boolean covers(NodePath other) {
        return covers(value, other.value);
    }

    /** {@link #covers(NodePath)} on text already known to be paths: {@code /corp} covers {@code /corp/a}, not {@code /corpx}. */
    public static boolean covers(String path, String other) {
        return path.equals("/") || other.equals(path) || other.startsWith(path + "/");
    }

    /**
     * A SQL {@code LIKE} pattern (backslash escapes) for the stored paths strictly below {@code path}, so a
     * subtree is one indexed range scan: {@code /corp_a} gives {@code /corp\_a/%}, which {@code /corpxa/b} does not match.
     */
    public static String sqlLikeBelow(String path) {
        String escaped = path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return (path.equals("/") ? "" : escaped) + "/%";
    }

    /** The path itself and each ancestor up to {@code /}, nearest first. */
    public List<String> selfAndAncestors() {
        List<String> result = new ArrayList<>();
        String current = value;
        while (!current.equals("/")) {
            result.add(current);
            int slash = current.lastIndexOf('/');
            current = slash == 0 ? "/" : current.substring(0, slash);
        }
        result.add("/");
        return result;
    }

    /** The path of the child {@code name}; {@link IllegalArgumentException} if that is no valid path. */
    public NodePath child(String name) {
        return new NodePath((isRoot() ? "" : value) + "/" + name);
    }

    @Override
    public String toString() {
        return value;
    }
}
