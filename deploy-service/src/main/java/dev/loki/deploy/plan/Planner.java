package dev.loki.deploy.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Cuts a node's hosts into batches that keep a template's limits. Batch {@code i} takes at most the ramp's
 * {@code i}-th size, at most {@code perIdcConcurrency} hosts of one IDC, and at most {@code maxUnavailable}
 * (hosts, or a share of the traffic-weighted capacity); a batch that a limit cuts short is followed by
 * another one, so every host is placed. Hosts are taken from the IDCs in turn (IDCs by name, hosts by
 * hostname within each), so a batch spreads over the IDCs. The same hosts and policy give the same plan.
 */
public final class Planner {

    private Planner() {
    }

    /** The batches, in order; {@link PlanImpossible} when one host alone is more than may be out at once. */
    public static List<List<PlanHost>> plan(List<PlanHost> hosts, BatchPolicy policy) {
        Objects.requireNonNull(policy.ramp(), "ramp");
        if (hosts.isEmpty()) {
            return List.of();
        }
        boolean unweighted = hosts.stream().allMatch(h -> h.weight() <= 0);
        long capacity = unweighted ? hosts.size() : hosts.stream().mapToLong(h -> Math.max(0, h.weight())).sum();
        Limit limit = new Limit(policy.maxUnavailable(), capacity, unweighted);
        for (PlanHost host : hosts) {
            if (!limit.allows(1, limit.weight(host))) {
                throw new PlanImpossible(host.hostname() + " alone carries " + percent(limit.weight(host), capacity)
                        + " of the node's traffic, more than maxUnavailable " + policy.maxUnavailable() + " allows out at once.");
            }
        }
        Map<String, Deque<PlanHost>> byIdc = new LinkedHashMap<>();
        new TreeMap<String, List<PlanHost>>(groupByIdc(hosts)).forEach((idc, list) -> {
            list.sort(Comparator.comparing(PlanHost::hostname));
            byIdc.put(idc, new ArrayDeque<>(list));
        });

        List<List<PlanHost>> batches = new ArrayList<>();
        int left = hosts.size();
        while (left > 0) {
            int target = policy.ramp().size(batches.size(), hosts.size());
            List<PlanHost> batch = new ArrayList<>();
            Map<String, Integer> perIdc = new HashMap<>();
            long weight = 0;
            boolean took = true;
            while (batch.size() < target && took) {
                took = false;
                for (Map.Entry<String, Deque<PlanHost>> idc : byIdc.entrySet()) {
                    PlanHost next = idc.getValue().peek();
                    if (batch.size() == target || next == null
                            || policy.perIdcConcurrency() != null && perIdc.getOrDefault(idc.getKey(), 0) >= policy.perIdcConcurrency()
                            || !limit.allows(batch.size() + 1, weight + limit.weight(next))) {
                        continue;
                    }
                    batch.add(idc.getValue().poll());
                    perIdc.merge(idc.getKey(), 1, Integer::sum);
                    weight += limit.weight(next);
                    took = true;
                }
            }
            batches.add(List.copyOf(batch));
            left -= batch.size();
        }
        return List.copyOf(batches);
    }

    private static Map<String, List<PlanHost>> groupByIdc(List<PlanHost> hosts) {
        Map<String, List<PlanHost>> groups = new HashMap<>();
        for (PlanHost host : hosts) {
            // hosts without an IDC sort after every named one, as one group
            groups.computeIfAbsent(host.idc() == null ? "\uffff" : host.idc(), k -> new ArrayList<>()).add(host);
        }
        return groups;
    }

    private static String percent(long part, long whole) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** {@code maxUnavailable} against a batch: a host count, or a share of the weighted capacity (kept in integers). */
    private record Limit(Amount max, long capacity, boolean unweighted) {

        long weight(PlanHost host) {
            return unweighted ? 1 : Math.max(0, host.weight());
        }

        boolean allows(int hosts, long weight) {
            if (max == null) {
                return true;
            }
            return max.percent() ? weight * 100 <= capacity * max.value() : hosts <= max.value();
        }
    }
}
