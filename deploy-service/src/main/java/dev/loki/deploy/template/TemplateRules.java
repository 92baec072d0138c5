package dev.loki.deploy.template;

import java.util.ArrayList;
import java.util.List;

import dev.loki.deploy.plan.Amount;
import dev.loki.deploy.plan.BatchPolicy;
import dev.loki.deploy.plan.Ramp;
import dev.loki.support.FieldError;
import dev.loki.support.Problems;

/**
 * What a template must say beyond each field's own limits (those are on {@link TemplateSpec}), and the
 * defaults a stored revision carries, so that a revision reads the same however it was sent.
 */
final class TemplateRules {

    static final int DEFAULT_STEP_TIMEOUT = 300;

    private TemplateRules() {
    }

    /** {@code spec} with its defaults filled in; 400 naming each field that breaks a rule. */
    static TemplateSpec check(TemplateSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        List<TemplateSpec.Step> steps = spec.steps() == null ? List.of() : spec.steps();
        switch (spec.type()) {
            case "script" -> {
                if (steps.isEmpty()) {
                    errors.add(new FieldError("steps", "a script template needs at least one step"));
                }
            }
            case "java" -> {
                if (spec.java() == null) {
                    errors.add(new FieldError("java", "a java template needs packageUrl, installDir, startCommand and stopCommand"));
                }
            }
            default -> {
                if (spec.nginx() == null) {
                    errors.add(new FieldError("nginx", "an nginx template needs upstream, configPath and port"));
                }
            }
        }
        if (!"java".equals(spec.type()) && spec.java() != null) {
            errors.add(new FieldError("java", "only a java template has a package"));
        }
        if (!"nginx".equals(spec.type()) && spec.nginx() != null) {
            errors.add(new FieldError("nginx", "only an nginx template has an upstream"));
        }
        for (int i = 0; i < steps.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (steps.get(j).name().equals(steps.get(i).name())) {
                    errors.add(new FieldError("steps[" + i + "].name", "another step is named " + steps.get(i).name()));
                }
            }
        }
        TemplateSpec.HealthCheck health = spec.healthCheck();
        if (health != null && (health.command() == null) == (health.url() == null)) {
            errors.add(new FieldError("healthCheck", "either a command or a url, not both"));
        }
        TemplateSpec.Batch batch = spec.batch();
        if (batch != null) {
            if (batch.size() != null && batch.ramp() != null) {
                errors.add(new FieldError("batch.ramp", "either size or ramp, not both"));
            }
            if (batch.ramp() != null && Ramp.parse(batch.ramp()).isEmpty()) {
                errors.add(new FieldError("batch.ramp", Ramp.MESSAGE));
            }
            if (batch.maxUnavailable() != null && Amount.parse(batch.maxUnavailable()).filter(a -> a.value() > 0).isEmpty()) {
                errors.add(new FieldError("batch.maxUnavailable", "at least 1 host or 1%: " + Amount.MESSAGE));
            }
            if (batch.maxFailures() != null && Amount.parse(batch.maxFailures()).isEmpty()) {
                errors.add(new FieldError("batch.maxFailures", Amount.MESSAGE));
            }
        }
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors.size() > 5 ? errors.subList(0, 5) : errors);
        }
        return normalized(spec, steps);
    }

    private static TemplateSpec normalized(TemplateSpec spec, List<TemplateSpec.Step> steps) {
        List<TemplateSpec.Step> withTimeouts = steps.stream().map(s -> new TemplateSpec.Step(s.name(), s.command(),
                s.timeoutSeconds() == null ? DEFAULT_STEP_TIMEOUT : s.timeoutSeconds())).toList();
        TemplateSpec.HealthCheck health = spec.healthCheck() == null ? null : new TemplateSpec.HealthCheck(spec.healthCheck().command(),
                spec.healthCheck().url(), orElse(spec.healthCheck().retries(), 3), orElse(spec.healthCheck().intervalSeconds(), 5));
        TemplateSpec.Batch b = spec.batch();
        TemplateSpec.Batch batch = new TemplateSpec.Batch(b != null && b.ramp() != null ? null : orElse(b == null ? null : b.size(), 1),
                b == null ? null : b.ramp() == null ? null : Ramp.parse(b.ramp()).orElseThrow().toString(),
                b == null ? null : b.perIdcConcurrency(), b == null ? null : b.maxUnavailable(),
                b != null && Boolean.TRUE.equals(b.pauseAfterFirstBatch()), b == null ? "0" : orElse(b.maxFailures(), "0"),
                b == null ? "pause" : orElse(b.onFailure(), "pause"));
        TemplateSpec.Nginx nginx = spec.nginx() == null ? null : new TemplateSpec.Nginx(spec.nginx().upstream(), spec.nginx().configPath(),
                spec.nginx().port(), orElse(spec.nginx().testCommand(), "nginx -t"), orElse(spec.nginx().reloadCommand(), "nginx -s reload"),
                spec.nginx().upstreamNode());
        return new TemplateSpec(spec.name().strip(), spec.nodePath(), spec.type(), withTimeouts, health, batch, spec.gate(), spec.java(), nginx,
                Boolean.TRUE.equals(spec.drain()), Boolean.TRUE.equals(spec.requireApproval()), spec.runUser(),
                spec.parameters() == null ? java.util.Map.of() : new java.util.TreeMap<>(spec.parameters()));
    }

    /** The planner's limits of a checked template. */
    static BatchPolicy policy(TemplateSpec spec) {
        TemplateSpec.Batch batch = spec.batch();
        Ramp ramp = batch.ramp() != null ? Ramp.parse(batch.ramp()).orElseThrow() : Ramp.of(batch.size());
        return new BatchPolicy(ramp, batch.perIdcConcurrency(), batch.maxUnavailable() == null ? null : Amount.parse(batch.maxUnavailable()).orElseThrow());
    }

    private static <T> T orElse(T value, T otherwise) {
        return value == null ? otherwise : value;
    }
}
