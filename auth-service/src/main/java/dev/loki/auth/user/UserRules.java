package dev.loki.auth.user;

/** Field rules shared by the user requests. */
final class UserRules {

    static final String USERNAME = "^[a-z0-9][a-z0-9._-]{0,63}$";
    static final String USERNAME_MESSAGE = "lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64";
    static final String GROUP = "^[a-z0-9][a-z0-9._-]{0,63}$";

    private UserRules() {
    }
}
