package dev.loki.deploy.template;

import org.springframework.stereotype.Component;

import dev.loki.deploy.plan.BatchPolicy;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/** What other features of deploy-service read of templates: the current revision, and its batch limits. */
@Component
public class Templates {

    private final TemplateRepository templates;

    Templates(TemplateRepository templates) {
        this.templates = templates;
    }

    /** The template's current revision; 400 naming {@code field} when there is none. */
    public Mono<Template> current(long id, String field) {
        return templates.find(id).switchIfEmpty(Mono.error(() -> Problems.invalid(field, "no template " + id)));
    }

    /** What revision {@code revision} of template {@code id} said (also after the template was deleted). */
    public Mono<TemplateSpec> revision(long id, int revision) {
        return templates.spec(id, revision);
    }

    /** The planner's limits of a stored template. */
    public static BatchPolicy policy(Template template) {
        return TemplateRules.policy(template.spec());
    }
}
