package dev.loki.devstack;

/** A problem the user can fix; printed as one line, without a stack trace. */
final class StackException extends RuntimeException {

    StackException(String message) {
        super(message);
    }
}
