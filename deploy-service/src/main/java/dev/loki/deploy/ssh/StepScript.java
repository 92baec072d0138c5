package dev.loki.deploy.ssh;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The shell text one step runs on a host. The step's command runs as {@code sh -c '<command>'} with the
 * deployment's parameters exported around it, and its exit code is left in a marker file under
 * {@code ~/.loki-deploy/<run>/} written by the same shell: a step whose marker exists does not run again
 * and answers with the recorded code. So a controller that restarts (or another replica taking over)
 * runs an interrupted step again safely: if it had finished, the host says so instead of running it twice,
 * and if it is still running (its controller died, the command did not), the new run waits for it on a
 * lock ({@code flock}) and then reads its marker.
 * The command runs detached from the SSH session with its output in files next to the marker (streamed
 * back with {@code tail -f} while it runs), so losing the controller neither kills it nor changes its
 * exit code. The host enforces the step's timeout itself (coreutils {@code timeout}, exit code 124), so
 * a step stops on time even when the controller that started it is gone. Needs a POSIX shell and GNU
 * coreutils ({@code tail --pid}); {@code flock} (util-linux) when present.
 *
 * @param run     the deployment, a directory name ({@code d42})
 * @param marker  the step and attempt within it ({@code step-2.attempt-1})
 * @param version what is deployed, exported as {@code LOKI_VERSION} (none when {@code null})
 * @param parameters exported as {@code LOKI_PARAM_<name>}
 * @param timeoutSeconds how long the command may run on the host
 */
public record StepScript(String run, String marker, String version, Map<String, String> parameters, String command, int timeoutSeconds) {

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

    /**
     * What stops this step's command while it runs (a cancel): TERM to it ({@code timeout} passes it on to
     * the command's process group, and KILLs 10 s later); nothing once it has finished. Its exit code is
     * recorded as usual.
     */
    public String stopText() {
        return "m=\"$HOME/.loki-deploy/" + run + "/" + marker + "\"\n"
                + "if [ -f \"$m.pid\" ] && [ ! -f \"$m.rc\" ]; then read p < \"$m.pid\" && kill -TERM \"$p\" 2>/dev/null"
                + " && echo \"loki: stopped $p\"; fi\n"
                + "exit 0\n";
    }

    /** What is sent as the SSH exec request. */
    public String text() {
        return "d=\"$HOME/.loki-deploy/" + run + "\"\n"
                // a test first: the directory exists from the deployment's first step on, and mkdir is a process
                + "[ -d \"$d\" ] || mkdir -p \"$d\" || exit 125\n"
                + "m=\"$d/" + marker + "\"\n"
                // one run of a step at a time: a second controller waits for the first run, then reads its marker
                + "if command -v flock >/dev/null 2>&1; then exec 9>\"$m.lock\" && flock 9; fi\n"
                + "if [ -f \"$m.rc\" ]; then read rc < \"$m.rc\"; echo \"loki: this step already ran (exit $rc)\"; exit \"$rc\"; fi\n"
                + (version == null ? "" : "export LOKI_VERSION=" + Shell.quote(version) + "\n")
                + Shell.exports(new TreeMap<>(parameters))
                + "c=" + Shell.quote(command) + "\n"
                + ": > \"$m.out\"; : > \"$m.err\"\n"
                // the command runs detached from this session, its output into files: a controller that dies
                // (or a dropped connection) neither kills it nor breaks its pipes, and its exit code still lands
                // in the marker. TERM at the timeout, KILL 10 s later, to the whole process group.
                // its pid goes to a file, so that a cancel can stop it (stopText)
                + "(\n"
                + "  trap '' HUP PIPE\n"
                + "  if command -v timeout >/dev/null 2>&1; then timeout -k 10 " + timeoutSeconds + " sh -c \"$c\""
                + " < /dev/null > \"$m.out\" 2> \"$m.err\" & else sh -c \"$c\" < /dev/null > \"$m.out\" 2> \"$m.err\" & fi\n"
                + "  echo \"$!\" > \"$m.pid\"\n"
                + "  wait \"$!\"\n"
                + "  echo \"$?\" > \"$m.tmp\" && mv \"$m.tmp\" \"$m.rc\"\n"
                + ") &\n"
                + "p=$!\n"
                // meanwhile its output, line by line, to whoever listens
                + "tail -s 0.05 -n +1 -f --pid=\"$p\" \"$m.out\" &\n"
                + "o=$!\n"
                + "tail -s 0.05 -n +1 -f --pid=\"$p\" \"$m.err\" >&2 &\n"
                + "e=$!\n"
                + "wait \"$p\"; wait \"$o\" \"$e\"\n"
                + "read rc < \"$m.rc\" || rc=125\n"
                + "exit \"$rc\"\n";
    }
}
