package dev.loki.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.json.JsonMapper;

class EventCodecTests {

    private final EventCodec codec = new EventCodec();
    private final JsonMapper json = JsonMapper.builder().build();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void goldenFileRoundTrips(EventType type) throws IOException {
        String golden = golden(type);

        LokiEvent event = codec.decode(golden).orElseThrow();

        assertThat(event).isInstanceOf(type.recordClass());
        assertThat(event.type()).isEqualTo(type.wireName());
        assertThat(event.channel()).isEqualTo("loki." + type.service() + "." + type.wireName());
        assertThat(json.readTree(codec.encode(event))).isEqualTo(json.readTree(golden));
        assertThat(codec.decode(codec.encode(event))).contains(event);
    }

    @Test
    void wireFormStartsWithTheCommonHeader() {
        var event = new GrantCreated("e1", Instant.parse("2026-11-26T14:00:00Z"), "auth-service",
                "/corp", 1, "user:alice", "node.manage", "admin");

        assertThat(codec.encode(event)).startsWith(
                "{\"id\":\"e1\",\"type\":\"grant-created\",\"occurredAt\":\"2026-11-26T14:00:00Z\","
                        + "\"source\":\"auth-service\",\"nodePath\":\"/corp\",");
    }

    @Test
    void eventWithoutNodePathLeavesItOut() {
        var event = new UserDeleted("e2", Instant.parse("2026-11-26T14:00:00Z"), "auth-service", "bob");

        assertThat(codec.encode(event)).doesNotContain("nodePath");
    }

    @Test
    void unknownFieldsAreIgnored() {
        String withExtra = "{\"id\":\"e3\",\"type\":\"user-deleted\",\"occurredAt\":\"2026-11-26T14:00:00Z\","
                + "\"source\":\"auth-service\",\"username\":\"bob\",\"addedLater\":{\"x\":1}}";

        assertThat(codec.decode(withExtra)).contains(
                new UserDeleted("e3", Instant.parse("2026-11-26T14:00:00Z"), "auth-service", "bob"));
    }

    @Test
    void unknownTypeIsSkippedNotFatal() {
        assertThat(codec.decode("{\"id\":\"e4\",\"type\":\"added-in-a-later-release\"}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "42", "{\"id\":\"x\"}", "{not json", "{\"type\":null}"})
    void malformedInputIsRejectedClearly(String input) {
        assertThatThrownBy(() -> codec.decode(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyPermittedRecordIsRegisteredOnce() {
        Set<Class<?>> permitted = Arrays.stream(LokiEvent.class.getPermittedSubclasses()).collect(Collectors.toSet());
        Set<Class<?>> registered = Arrays.stream(EventType.values()).map(EventType::recordClass).collect(Collectors.toSet());

        assertThat(registered).isEqualTo(permitted).hasSize(EventType.values().length);
    }

    private static String golden(EventType type) throws IOException {
        try (InputStream in = EventCodecTests.class.getResourceAsStream("/golden/" + type.wireName() + ".json")) {
            assertThat(in).as("golden file for %s", type.wireName()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }
}
