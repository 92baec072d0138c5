package dev.loki.deploy.run;

import java.util.ArrayList;
import java.util.List;

import dev.loki.deploy.ssh.Shell;
import dev.loki.deploy.template.TemplateSpec;

/**
 * The commands each host runs for a revision of a template: a {@code script} template's steps; a
 * {@code java} template's steps, then fetch the package of the deployment's version, stop, switch (the
 * previous package kept as {@code previous.jar} for a fast rollback), start; an {@code nginx} template's
 * steps, then write the deployment's upstream block to the config file, test it (the previous file put
 * back when the test fails) and reload; then the health check. The
 * deployment's version and parameters reach the commands as environment variables ({@code LOKI_VERSION},
 * {@code LOKI_PARAM_<name>}), never spliced into them.
 */
public final class HostSteps {

    private static final int FETCH_TIMEOUT = 600;

    private HostSteps() {
    }

    /** {@code upstream}: the block an {@code nginx} template's deployment rendered (ignored for other types). */
    public static List<HostStep> of(TemplateSpec spec, String upstream) {
        List<HostStep> steps = new ArrayList<>();
        for (TemplateSpec.Step step : spec.steps() == null ? List.<TemplateSpec.Step>of() : spec.steps()) {
            steps.add(new HostStep(step.name(), step.command(), step.timeoutSeconds() == null ? 300 : step.timeoutSeconds()));
        }
        if ("java".equals(spec.type()) && spec.java() != null) {
            TemplateSpec.JavaPackage java = spec.java();
            String dir = java.installDir().startsWith("~/") ? "\"$HOME\"/" + Shell.quote(java.installDir().substring(2)) : Shell.quote(java.installDir());
            // ${version} in the URL is the deployment's version, substituted by the host's shell from the environment
            String url = Shell.quote(java.packageUrl()).replace("${version}", "'\"$LOKI_VERSION\"'");
            // a version fetched before (e.g. the one a rollback returns to) is kept under releases/: not fetched again
            String release = dir + "/releases/\"$LOKI_VERSION\".jar";
            steps.add(new HostStep("fetch", "mkdir -p " + dir + "/releases && if [ -f " + release + " ]; then echo \"$LOKI_VERSION is here already\"; "
                    + "else curl -fsSL --retry 2 -o " + release + ".part " + url + " && mv " + release + ".part " + release + "; fi", FETCH_TIMEOUT));
            steps.add(new HostStep("stop", java.stopCommand(), 120));
            steps.add(new HostStep("switch", "cd " + dir + " && if [ -f current.jar ]; then cp -p current.jar previous.jar; fi"
                    + " && cp releases/\"$LOKI_VERSION\".jar current.jar.part && mv current.jar.part current.jar && echo \"$LOKI_VERSION\" > VERSION", 120));
            steps.add(new HostStep("start", java.startCommand(), 300));
        }
        if ("nginx".equals(spec.type()) && spec.nginx() != null && upstream != null) {
            TemplateSpec.Nginx nginx = spec.nginx();
            String file = nginx.configPath().startsWith("~/") ? "\"$HOME\"/" + Shell.quote(nginx.configPath().substring(2)) : Shell.quote(nginx.configPath());
            // the previous file is kept next to it, so a config that fails the test is taken back at once
            steps.add(new HostStep("render upstream", "f=" + file + "; mkdir -p \"$(dirname \"$f\")\" && "
                    + "if [ -f \"$f\" ]; then cp -p \"$f\" \"$f.loki-previous\"; else rm -f \"$f.loki-previous\"; fi && "
                    + "printf '%s' " + Shell.quote(upstream) + " > \"$f.part\" && mv \"$f.part\" \"$f\" && cat \"$f\"", 60));
            steps.add(new HostStep("test config", "f=" + file + "; if sh -c " + Shell.quote(nginx.testCommand()) + "; then exit 0; fi; "
                    + "echo 'the new upstream failed the test: the previous config is back' >&2; "
                    + "if [ -f \"$f.loki-previous\" ]; then cp -p \"$f.loki-previous\" \"$f\"; else rm -f \"$f\"; fi; exit 1", 120));
            steps.add(new HostStep("reload", nginx.reloadCommand(), 120));
        }
        TemplateSpec.HealthCheck health = spec.healthCheck();
        if (health != null) {
            String probe = health.command() != null ? "sh -c " + Shell.quote(health.command())
                    : "curl -fsS -o /dev/null --max-time 10 " + Shell.quote(health.url());
            int retries = health.retries() == null ? 3 : health.retries();
            int interval = health.intervalSeconds() == null ? 5 : health.intervalSeconds();
            steps.add(new HostStep("health check",
                    "i=0; while :; do if " + probe + "; then exit 0; fi; i=$((i+1)); if [ \"$i\" -gt " + retries + " ]; then exit 1; fi; sleep " + interval + "; done",
                    Math.max(30, (retries + 1) * (interval + 15))));
        }
        return List.copyOf(steps);
    }
}
