package dev.loki.deploy.plan;

import java.util.List;

/**
 * A plan preview: the exact batches a deployment of the template's revision would run, and the node's
 * hosts left out with why ({@code offline}: its binding is drained; {@code status <s>}: asset-service does
 * not have it {@code online}; {@code unknown}: bound, but asset-service has no such server).
 */
public record Plan(long templateId, int revision, String nodePath, List<Batch> batches, List<Excluded> excluded) {

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
