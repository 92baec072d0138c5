package dev.loki.deploy.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A deployment as the API shows it: what runs (template, pinned revision, version, parameters), where
 * it stands, and its batches with each host's progress.
 *
 * @param currentBatch the batch running or next to run (equal to the number of batches once all ran)
 * @param reason       why it is paused or how it ended ({@code failure-budget}, {@code first-batch}, …)
 * @param rollbackOf   the deployment this one rolls back (to the revision and version of the last one that succeeded before it)
 * @param gate         while a finished batch bakes before the availability gate judges it: which batch, and the window
 * @param upstream     an {@code nginx} template's upstream block, as rendered when the deployment was created
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Deployment(long id, long templateId, int revision, String nodePath, String version, Map<String, String> parameters,
                         String status, String reason, int currentBatch, int maxFailures, String onFailure,
                         String requestedBy, Instant createdAt, Instant startedAt, Instant finishedAt, List<Batch> batches, Long rollbackOf,
                         Gate gate, String upstream) {

    /** Batch {@code batch} bakes; at {@code until} the gate reads the node's availability over [{@code from}, {@code until}]. */
    public record Gate(int batch, Instant from, Instant until) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Batch(int index, String status, List<Host> hosts) {
    }

    /**
     * {@code step}: the index of the step it is at (or failed at); {@code attempt}: 1, then one more per retry;
     * {@code drained}: out of traffic now (its bindings offline), taken out by this deployment.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Host(String hostname, String idc, String address, double trafficRatio, String status, int step, String stepName,
                       int attempt, Integer exitCode, String reason, Instant startedAt, Instant finishedAt, boolean drained) {
    }
}
