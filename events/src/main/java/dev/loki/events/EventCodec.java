package dev.loki.events;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns events into their JSON wire form and back.
 *
 * <p>The wire form is the record's fields plus {@code type}, with {@code id, type, occurredAt,
 * source, nodePath} first. Decoding ignores fields it does not know (so producers may add fields)
 * and answers {@link Optional#empty()} for a type it does not know (so producers may add types).
 */
public final class EventCodec {

    private static final String[] HEADER = {"id", "type", "occurredAt", "source", "nodePath"};

    private final JsonMapper mapper;

    public EventCodec() {
        this.mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                // null fields are left out, at every depth: absent and null mean the same to consumers
                .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
    }

    public String encode(LokiEvent event) {
        ObjectNode fields = mapper.valueToTree(event);
        ObjectNode wire = mapper.createObjectNode();
        for (String name : HEADER) {
            if (name.equals("type")) {
                wire.put("type", event.type());
            } else if (name.equals("nodePath")) {
                if (event.nodePath() != null) {
                    wire.put("nodePath", event.nodePath());
                }
            } else {
                wire.set(name, fields.get(name));
            }
        }
        fields.properties().forEach(e -> {
            if (!wire.has(e.getKey()) && !e.getValue().isNull()) {
                wire.set(e.getKey(), e.getValue());
            }
        });
        return mapper.writeValueAsString(wire);
    }

    /**
     * Reads one event.
     *
     * @throws IllegalArgumentException if the text is not a JSON object with a {@code type}
     */
    public Optional<LokiEvent> decode(String json) {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject() || !node.hasNonNull("type")) {
            throw new IllegalArgumentException("an event is a JSON object with a \"type\"");
        }
        return EventType.byWireName(node.get("type").asString())
                .map(type -> mapper.treeToValue(node, type.recordClass()));
    }
}
