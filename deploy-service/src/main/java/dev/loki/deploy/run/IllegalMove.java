package dev.loki.deploy.run;

import java.util.List;

import org.springframework.http.HttpStatus;

import dev.loki.support.LokiProblem;

/** 409 {@code illegal-transition}: the action does not apply in the current status; names what does. */
final class IllegalMove extends LokiProblem {

    IllegalMove(String action, String what, String status, List<String> allowed) {
        super(HttpStatus.CONFLICT, "illegal-transition", "Not allowed now",
                "cannot " + action + " " + what + " that is " + status + "; allowed now: " + (allowed.isEmpty() ? "none" : String.join(", ", allowed)));
        getBody().setProperty("status", status);
        getBody().setProperty("allowed", allowed);
    }
}
