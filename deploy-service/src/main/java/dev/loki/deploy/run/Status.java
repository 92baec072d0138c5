package dev.loki.deploy.run;

import java.util.Set;

/** The statuses of a deployment and of its hosts, as the API shows them. */
final class Status {

    static final String PENDING = "pending";
    static final String AWAITING_APPROVAL = "awaiting-approval";
    static final String RUNNING = "running";
    static final String PAUSED = "paused";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String CANCELLED = "cancelled";
    static final String SKIPPED = "skipped";

    /** A deployment in one of these is finished: nothing moves it again. */
    static final Set<String> FINISHED = Set.of(SUCCEEDED, FAILED, CANCELLED);

    private Status() {
    }
}
