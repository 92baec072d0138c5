package dev.loki.deploy.template;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** A template as it reads: its current (or a given) revision's spec, and who saved it when. */
public record Template(long id, int revision, @JsonUnwrapped TemplateSpec spec, String createdBy, Instant createdAt,
                       String updatedBy, Instant updatedAt) {
}
