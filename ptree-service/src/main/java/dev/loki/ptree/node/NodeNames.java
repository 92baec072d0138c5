package dev.loki.ptree.node;

import java.util.regex.Pattern;

/** Rules for node names and types. */
final class NodeNames {

    static final String NAME = "^[a-z0-9][a-z0-9_-]{0,62}$";
    static final String NAME_MESSAGE = "a-z, 0-9, '_' or '-', starting with a letter or digit, at most 63";
    static final String TYPE = "^[a-z][a-z0-9_-]{0,31}$";
    static final String TYPE_MESSAGE = "a-z, 0-9, '_' or '-', starting with a letter, at most 32";
    private static final Pattern NAME_PATTERN = Pattern.compile(NAME);

    private NodeNames() {
    }

    static boolean validName(String name) {
        return name != null && NAME_PATTERN.matcher(name).matches();
    }

    /** company → product line → service → cluster, by depth below the root. */
    static String defaultType(int depth) {
        return switch (depth) {
            case 1 -> "company";
            case 2 -> "product-line";
            case 3 -> "service";
            default -> "cluster";
        };
    }
}
