package dev.loki.deploy.plan;

/**
 * A host the planner places: its IDC ({@code null} when asset-service knows none; such hosts count as
 * one IDC of their own) and its traffic weight on the node (the binding's traffic ratio; 0 takes none).
 */
public record PlanHost(String hostname, String idc, int weight) {
}
