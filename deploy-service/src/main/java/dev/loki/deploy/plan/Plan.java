package dev.loki.deploy.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A plan preview: the exact batches a deployment of the template's revision would run, and the node's
 * hosts left out with why ({@code offline}: its binding is drained; {@code status <s>}: asset-service does
 * not have it {@code online}; {@code unknown}: bound, but asset-service has no such server). An
 * {@code nginx} template's plan also holds the {@code upstream} block its hosts receive.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Plan(long templateId, int revision, String nodePath, List<Batch> batches, List<Excluded> excluded, String upstream) {

    /** This plan with {@code block} as its upstream. */
    public Plan withUpstream(String block) {
        return new Plan(templateId, revision, nodePath, batches, excluded, block);
    }

    public record Batch(int index, List<Host> hosts) {
    }

    /**
     * {@code trafficRatio}: the sum of its bindings' ratios in the subtree; {@code address}: where it is
     * reached over SSH (its first private IP, else its hostname).
     */
    public record Host(String hostname, String idc, double trafficRatio, String address) {
    }

    public record Excluded(String hostname, String reason) {
    }
}
