package dev.loki.deploy.ssh;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The shell text one step runs on a host. The step's command runs as {@code sh -c '<command>'} with the
 * deployment's parameters exported around it, and its exit code is left in a marker file under
 * {@code ~/.loki-deploy/<run>/} written by the same shell: a step whose marker exists does not run again
 * and answers with the recorded code. So a controller that restarts (or another replica taking over)
 * runs an interrupted step again safely: if it had finished, the host says so instead of running it twice.
 * The host enforces the step's timeout itself (coreutils {@code timeout}, exit code 124), so a step
 * stops on time even when the controller that started it is gone.
 *
 * @param run     the deployment, a directory name ({@code d42})
 * @param marker  the step and attempt within it ({@code step-2.attempt-1})
 * @param timeoutSeconds how long the command may run on the host
 */
public record StepScript(String run, String marker, Map<String, String> parameters, String command, int timeoutSeconds) {

    /** The exit code of a step the host stopped at its timeout. */
    public static final int TIMED_OUT = 124;

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public StepScript {
        if (!WORD.matcher(run).matches() || !WORD.matcher(marker).matches()) {
            throw new IllegalArgumentException("run and marker are file names: " + run + ", " + marker);
        }
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("a step's timeout is at least 1 s, not " + timeoutSeconds);
        }
        parameters = Map.copyOf(parameters);
    }

    /** What is sent as the SSH exec request. */
    public String text() {
        String done = "\"$d/" + marker + ".rc\"";
        return "d=\"$HOME/.loki-deploy/" + run + "\"\n"
                + "if [ -f " + done + " ]; then read rc < " + done + "; echo \"loki: this step already ran (exit $rc)\"; exit \"$rc\"; fi\n"
                + "mkdir -p \"$d\" || exit 125\n"
                + Shell.exports(new TreeMap<>(parameters))
                + "c=" + Shell.quote(command) + "\n"
                // TERM at the timeout, KILL 10 s later; the whole process group (timeout's default)
                + "if command -v timeout >/dev/null 2>&1; then timeout -k 10 " + timeoutSeconds + " sh -c \"$c\"; else sh -c \"$c\"; fi\n"
                + "rc=$?\n"
                + "echo \"$rc\" > \"$d/" + marker + ".tmp\" && mv \"$d/" + marker + ".tmp\" " + done + "\n"
                + "exit \"$rc\"\n";
    }
}
