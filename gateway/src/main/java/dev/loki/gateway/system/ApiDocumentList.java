package dev.loki.gateway.system;

import java.util.LinkedHashSet;
import java.util.stream.Collectors;

import org.springdoc.core.properties.AbstractSwaggerUiConfigProperties.SwaggerUrl;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import dev.loki.events.LokiService;

/**
 * The Swagger UI at {@code /api-docs} lists the OpenAPI document of every service in
 * {@link LokiService} ({@code /api/<route>/v3/api-docs}, served through its route), unless
 * {@code springdoc.swagger-ui.urls} names others.
 */
@Component
class ApiDocumentList implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof SwaggerUiConfigProperties ui && (ui.getUrls() == null || ui.getUrls().isEmpty())) {
            ui.setUrls(LokiService.backends().stream()
                    .map(s -> new SwaggerUrl(s.module(), "/api/" + s.route() + "/v3/api-docs", s.module()))
                    .collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        return bean;
    }
}
