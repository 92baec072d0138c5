package dev.loki.deploy.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;

import dev.loki.deploy.platform.PlatformClient;
import dev.loki.deploy.template.Template;
import dev.loki.deploy.template.Templates;
import dev.loki.support.Caller;
import dev.loki.support.FieldError;
import dev.loki.support.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Gathers a template's hosts from ptree- and asset-service and cuts them into batches ({@link Planner}). */
@Service
public class PlanService {

    /** Traffic ratios are decimals; the planner weighs in whole units of a thousandth. */
    private static final double WEIGHT_UNIT = 1000;

    private final Templates templates;
    private final PlatformClient platform;

    PlanService(Templates templates, PlatformClient platform) {
        this.templates = templates;
        this.platform = platform;
    }

    public Mono<Plan> plan(PlanRequest request) {
        return Mono.zip(templates.current(request.templateId(), "templateId"), Caller.bearer())
                .flatMap(t -> plan(t.getT1(), request, t.getT2()));
    }

    private Mono<Plan> plan(Template template, PlanRequest request, String bearer) {
        String path = template.spec().nodePath();
        return platform.node(path, bearer)
                .flatMap(node -> platform.bindings(node.id(), bearer))
                .flatMap(bindings -> {
                    Map<String, Bound> bound = Bound.byHost(bindings);
                    List<String> wanted = request.hosts() == null ? List.copyOf(bound.keySet()) : request.hosts().stream().distinct().toList();
                    List<FieldError> unknown = new ArrayList<>();
                    for (int i = 0; i < wanted.size() && unknown.size() < 5; i++) {
                        if (!bound.containsKey(wanted.get(i))) {
                            unknown.add(new FieldError("hosts[" + i + "]", wanted.get(i) + " is not a server of " + path));
                        }
                    }
                    if (!unknown.isEmpty()) {
                        return Mono.error(Problems.invalid(unknown));
                    }
                    return Flux.fromIterable(wanted)
                            .flatMapSequential(hostname -> platform.server(hostname, bearer)
                                    .map(s -> Map.entry(hostname, s))
                                    .defaultIfEmpty(Map.entry(hostname, new PlatformClient.Server(hostname, null, null, List.of()))), 16)
                            .collectList()
                            .map(servers -> cut(template, request, bound, servers));
                })
                .flatMap(plan -> "nginx".equals(template.spec().type()) && template.spec().nginx() != null
                        ? upstream(template.spec(), bearer).map(plan::withUpstream) : Mono.just(plan));
    }

    /** An nginx template's upstream block, from the servers of its upstream node as they are now. */
    private Mono<String> upstream(dev.loki.deploy.template.TemplateSpec spec, String bearer) {
        var nginx = spec.nginx();
        String source = nginx.upstreamNode() == null ? spec.nodePath() : nginx.upstreamNode();
        return platform.node(source, bearer)
                .flatMap(node -> platform.bindings(node.id(), bearer))
                .flatMap(bindings -> Flux.fromIterable(bindings.stream().map(PlatformClient.Binding::hostname).distinct().toList())
                        .flatMap(hostname -> platform.server(hostname, bearer), 16)
                        .collectMap(PlatformClient.Server::hostname)
                        .map(servers -> Upstream.render(nginx.upstream(), nginx.port(), source, Upstream.members(bindings, servers))));
    }

    private static Plan cut(Template template, PlanRequest request, Map<String, Bound> bound,
                            List<Map.Entry<String, PlatformClient.Server>> servers) {
        boolean explicit = request.hosts() != null;
        boolean anyStatus = Boolean.TRUE.equals(request.includeNotOnline());
        List<PlanHost> hosts = new ArrayList<>();
        List<Plan.Excluded> excluded = new ArrayList<>();
        for (Map.Entry<String, PlatformClient.Server> entry : servers) {
            String hostname = entry.getKey();
            PlatformClient.Server server = entry.getValue();
            Bound b = bound.get(hostname);
            if (!explicit && server.status() == null) {
                excluded.add(new Plan.Excluded(hostname, "unknown"));
            } else if (!explicit && b.offline()) {
                excluded.add(new Plan.Excluded(hostname, "offline"));
            } else if (!explicit && !anyStatus && !"online".equals(server.status())) {
                excluded.add(new Plan.Excluded(hostname, "status " + server.status()));
            } else {
                hosts.add(new PlanHost(hostname, server.idc(), (int) Math.min(Integer.MAX_VALUE, Math.round(b.ratio() * WEIGHT_UNIT))));
            }
        }
        Map<String, String> addresses = new HashMap<>();
        servers.forEach(entry -> addresses.put(entry.getKey(), entry.getValue().address()));
        List<List<PlanHost>> batches = Planner.plan(hosts, Templates.policy(template));
        List<Plan.Batch> shown = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            shown.add(new Plan.Batch(i, batches.get(i).stream()
                    .map(h -> new Plan.Host(h.hostname(), h.idc(), bound.get(h.hostname()).ratio(), addresses.get(h.hostname()))).toList()));
        }
        return new Plan(template.id(), template.revision(), template.spec().nodePath(), List.copyOf(shown), List.copyOf(excluded), null);
    }
}
