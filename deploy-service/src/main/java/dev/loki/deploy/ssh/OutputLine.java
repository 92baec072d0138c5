package dev.loki.deploy.ssh;

/** One line a command printed, on its standard output or (when {@code error}) its standard error. */
public record OutputLine(boolean error, String text) {
}
