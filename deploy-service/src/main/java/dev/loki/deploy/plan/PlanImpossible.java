package dev.loki.deploy.plan;

import org.springframework.http.HttpStatus;

import dev.loki.support.LokiProblem;

/** The fleet cannot be deployed under the template's limits (409 {@code plan-impossible}); the detail says why. */
public class PlanImpossible extends LokiProblem {

    public PlanImpossible(String detail) {
        super(HttpStatus.CONFLICT, "plan-impossible", "Plan impossible", detail);
    }
}
