package dev.loki.gateway.system;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteDefinitionLocator;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.loki.events.LokiService;
import reactor.core.publisher.Flux;

/**
 * A route for each service of {@link LokiService}: {@code /api/<route>/**} to {@code LOKI_<KEY>_URI}
 * (default: the service's {@code ./loki} port on this machine), a 1 MB body limit, and a circuit breaker
 * named after the service that falls back to {@code /fallback/<service>}. The gateway's default
 * filters (rate limiter, internal-token header removal) apply to these as to the routes in
 * {@code application.yaml}, which holds only the exceptions (the CSV import's larger body).
 */
@Component
class ServiceRoutes implements RouteDefinitionLocator {

    private final List<RouteDefinition> routes;

    ServiceRoutes(Environment environment) {
        this.routes = LokiService.backends().stream().map(service -> route(service, environment)).toList();
    }

    @Override
    public Flux<RouteDefinition> getRouteDefinitions() {
        return Flux.fromIterable(routes);
    }

    private static RouteDefinition route(LokiService service, Environment environment) {
        RouteDefinition route = new RouteDefinition();
        route.setId(service.module());
        route.setUri(URI.create(environment.getProperty(service.environmentKey() + "_URI", "http://127.0.0.1:" + service.defaultPort())));
        route.setPredicates(List.of(new PredicateDefinition("Path=/api/" + service.route() + "/**")));
        route.setFilters(List.of(filter("RequestSize", Map.of("maxSize", "1MB")),
                filter("CircuitBreaker", Map.of("name", service.module(), "fallbackUri", "forward:/fallback/" + service.module()))));
        return route;
    }

    private static FilterDefinition filter(String name, Map<String, String> args) {
        FilterDefinition filter = new FilterDefinition();
        filter.setName(name);
        filter.setArgs(new LinkedHashMap<>(args));
        return filter;
    }
}
