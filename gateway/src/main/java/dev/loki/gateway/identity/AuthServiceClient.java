package dev.loki.gateway.identity;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.loki.events.InternalApi;
import dev.loki.gateway.system.GatewayProperties;

/** The gateway's client for auth-service's {@code /internal} endpoints, which answer only calls carrying the internal token. */
@Component
class AuthServiceClient {

    private final WebClient web;

    AuthServiceClient(WebClient.Builder builder, GatewayProperties properties) {
        WebClient.Builder toAuth = builder.clone().baseUrl(properties.authUri().toString());
        if (properties.internalToken() != null && !properties.internalToken().isBlank()) {
            toAuth.defaultHeader(InternalApi.TOKEN_HEADER, properties.internalToken());
        }
        this.web = toAuth.build();
    }

    WebClient web() {
        return web;
    }
}
