package dev.loki.deploy.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 12, item 2: the planning rules as a table, and a property test over random fleets. */
class PlannerTests {

    /**
     * fleet: {@code host:idc:weight} (idc {@code -} = none known); policy: {@code ramp;perIdcConcurrency;maxUnavailable}
     * ({@code -} = no limit); plan: batches separated by {@code |}.
     */
    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '!', textBlock = """
            h01:dc1:0 h02:dc1:0 h03:dc1:0 h04:dc1:0 h05:dc1:0 h06:dc1:0 h07:dc1:0 h08:dc1:0 h09:dc1:0 h10:dc1:0 ! 1 10% 50% 100%;-;- ! h01 | h02 | h03 h04 h05 h06 h07 | h08 h09 h10 ! a ramp: one canary, 10 % (of all hosts), half, the rest
            a1:dc-a:0 a2:dc-a:0 a3:dc-a:0 b1:dc-b:0 b2:dc-b:0 b3:dc-b:0                                             ! 2;1;-               ! a1 b1 | a2 b2 | a3 b3                        ! perIdcConcurrency 1: one host of each IDC per batch
            a1:dc-a:0 a2:dc-a:0 a3:dc-a:0 b1:dc-b:0 b2:dc-b:0 b3:dc-b:0                                             ! 6;2;-               ! a1 b1 a2 b2 | a3 b3                          ! a batch cut short by the IDC limit is followed by another
            a1:dc-a:50 b1:dc-b:25 b2:dc-b:25                                                                        ! 3;-;50%             ! a1 | b1 b2                                   ! maxUnavailable as a share of the traffic weights
            h1:dc1:0 h2:dc1:0 h3:dc1:0 h4:dc1:0 h5:dc1:0                                                            ! 100%;-;2            ! h1 h2 | h3 h4 | h5                           ! maxUnavailable as a host count
            h1:dc1:0 h2:dc1:0 h3:dc1:0 h4:dc1:0                                                                     ! 100%;-;25%          ! h1 | h2 | h3 | h4                            ! all ratios 0: every host weighs the same
            h1:dc1:0 h2:dc1:0 h3:dc1:0                                                                              ! 5;-;-               ! h1 h2 h3                                     ! a batch size above the fleet takes it all
            x1:-:0 a1:dc-a:0                                                                                        ! 1;-;-               ! a1 | x1                                      ! hosts without an IDC come after the named IDCs
            h1:dc1:10 h2:dc1:0 h3:dc1:10                                                                            ! 3;-;50%             ! h1 h2 | h3                                   ! a host with ratio 0 takes no capacity
            h1:dc1:0 h2:dc1:0 h3:dc1:0 h4:dc1:0 h5:dc1:0 h6:dc1:0 h7:dc1:0                                          ! 10% 20%;-;-         ! h1 | h2 | h3 | h4 | h5 | h6 | h7             ! a share that rounds to 0 still takes one host
            """)
    void plansKeepTheLimits(String fleet, String policy, String expected, String rule) {
        assertThat(render(Planner.plan(fleet(fleet), policy(policy)))).as(rule).isEqualTo(expected.strip());
    }

    @Test
    void aHostThatAloneCarriesMoreTrafficThanMayBeOutMakesThePlanImpossible() {
        assertThatThrownBy(() -> Planner.plan(fleet("a1:dc-a:60 b1:dc-b:40"), policy("1;-;50%")))
                .isInstanceOf(PlanImpossible.class)
                .hasMessageContaining("a1 alone carries 60.0%");
    }

    @Test
    void noHostsNoBatches() {
        assertThat(Planner.plan(List.of(), policy("1;-;-"))).isEmpty();
    }

    /** Property: on any fleet and policy, every host is placed once and no batch breaks a limit. */
    @RepeatedTest(300)
    void noBatchOfARandomPlanBreaksAConstraint(org.junit.jupiter.api.RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition() * 7919L);
        int size = 1 + random.nextInt(random.nextBoolean() ? 12 : 300);
        int idcs = 1 + random.nextInt(5);
        boolean weighted = random.nextInt(4) > 0;
        List<PlanHost> hosts = IntStream.range(0, size).mapToObj(i -> new PlanHost("h" + i,
                random.nextInt(20) == 0 ? null : "dc" + random.nextInt(idcs), weighted ? random.nextInt(101) : 0)).toList();
        List<Amount> terms = IntStream.range(0, 1 + random.nextInt(4))
                .mapToObj(i -> random.nextBoolean() ? new Amount(1 + random.nextInt(20), false) : new Amount(1 + random.nextInt(100), true)).toList();
        Integer perIdc = random.nextBoolean() ? null : 1 + random.nextInt(4);
        Amount maxUnavailable = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> new Amount(1 + random.nextInt(10), false);
            default -> new Amount(30 + random.nextInt(71), true);
        };
        BatchPolicy policy = new BatchPolicy(new Ramp(terms), perIdc, maxUnavailable);
        long capacity = weighted && hosts.stream().anyMatch(h -> h.weight() > 0) ? hosts.stream().mapToLong(PlanHost::weight).sum() : size;

        List<List<PlanHost>> plan;
        try {
            plan = Planner.plan(hosts, policy);
        } catch (PlanImpossible impossible) {
            // only when some host alone is more than may be out at once
            assertThat(maxUnavailable).isNotNull();
            assertThat(maxUnavailable.percent()).isTrue();
            assertThat(hosts).anyMatch(h -> weight(h, weighted, capacity, size) * 100 > capacity * maxUnavailable.value());
            return;
        }
        assertThat(plan.stream().flatMap(List::stream).toList()).as("every host exactly once").hasSize(size).containsExactlyInAnyOrderElementsOf(hosts);
        for (int i = 0; i < plan.size(); i++) {
            List<PlanHost> batch = plan.get(i);
            assertThat(batch).as("batch %d", i).isNotEmpty().hasSizeLessThanOrEqualTo(policy.ramp().size(i, size));
            if (perIdc != null) {
                Map<String, Long> counts = batch.stream().collect(Collectors.groupingBy(h -> String.valueOf(h.idc()), Collectors.counting()));
                assertThat(counts.values()).as("batch %d per IDC", i).allMatch(n -> n <= perIdc);
            }
            if (maxUnavailable != null && !maxUnavailable.percent()) {
                assertThat(batch).as("batch %d hosts out", i).hasSizeLessThanOrEqualTo(maxUnavailable.value());
            }
            if (maxUnavailable != null && maxUnavailable.percent()) {
                long out = batch.stream().mapToLong(h -> weight(h, weighted, capacity, size)).sum();
                assertThat(out * 100).as("batch %d weight out", i).isLessThanOrEqualTo(capacity * maxUnavailable.value());
            }
        }
        assertThat(Planner.plan(hosts, policy)).as("the same plan again").isEqualTo(plan);
    }

    private static long weight(PlanHost host, boolean weighted, long capacity, int size) {
        return capacity == size && !weighted ? 1 : host.weight();
    }

    static List<PlanHost> fleet(String text) {
        return Arrays.stream(text.strip().split("\\s+")).map(spec -> {
            String[] parts = spec.split(":");
            return new PlanHost(parts[0], parts[1].equals("-") ? null : parts[1], Integer.parseInt(parts[2]));
        }).toList();
    }

    static BatchPolicy policy(String text) {
        String[] parts = text.strip().split(";");
        return new BatchPolicy(Ramp.parse(parts[0]).orElseThrow(), parts[1].equals("-") ? null : Integer.valueOf(parts[1]),
                parts[2].equals("-") ? null : Amount.parse(parts[2]).orElseThrow());
    }

    static String render(List<List<PlanHost>> plan) {
        return plan.stream().map(b -> b.stream().map(PlanHost::hostname).collect(Collectors.joining(" "))).collect(Collectors.joining(" | "));
    }
}
