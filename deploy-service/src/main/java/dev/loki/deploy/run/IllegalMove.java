package dev.loki.deploy.run;

import java.util.List;

import dev.loki.support.LokiProblem;
import dev.loki.support.Problems;

/** 409 {@code illegal-transition}: the action does not apply in the current status; names what does. */
final class IllegalMove {

    private IllegalMove() {
    }

    static LokiProblem of(String action, String what, String status, List<String> allowed) {
        return Problems.illegalTransition("cannot " + action + " " + what + " that is " + status + "; allowed now: "
                + (allowed.isEmpty() ? "none" : String.join(", ", allowed)), status, allowed);
    }
}
