package dev.loki.deploy.template;

import java.time.Instant;

/** One saved revision of a template, as the revision list shows it. */
public record TemplateRevision(int revision, String createdBy, Instant createdAt) {
}
