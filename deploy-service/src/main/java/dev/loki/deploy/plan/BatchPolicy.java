package dev.loki.deploy.plan;

/**
 * The limits a plan keeps.
 *
 * @param ramp how many hosts each batch takes
 * @param perIdcConcurrency the most hosts of one IDC in one batch (null: no limit)
 * @param maxUnavailable how much may be out at once (null: no limit): a count of hosts, or a share of
 *                       the node's capacity weighted by traffic ratio (when every ratio is 0, each host weighs the same)
 */
public record BatchPolicy(Ramp ramp, Integer perIdcConcurrency, Amount maxUnavailable) {
}
