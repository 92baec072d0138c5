package dev.loki.deploy.run;

/** One command a host runs in a deployment, in order: a template step, or a built-in one ({@link HostSteps}). */
public record HostStep(String name, String command, int timeoutSeconds) {
}
