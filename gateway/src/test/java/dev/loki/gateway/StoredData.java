package dev.loki.gateway;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every entity a caller can read back through the gateway — users, grants, tokens, petitions, servers,
 * IDCs, tree nodes with their servers and URLs, change records, alert rules — keyed by where it was
 * read and its identity, so that a hostile walk can be shown to have changed none of what existed
 * before it (it may add what its junk was allowed to create).
 */
final class StoredData {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Fields that change when an entity is merely used, not when it is changed. */
    private static final Set<String> USE_FIELDS = Set.of("lastUsedAt", "lastLoginAt");

    private static final List<String> LISTS = List.of("/api/auth/users", "/api/auth/grants", "/api/auth/tokens", "/api/asset/servers",
            "/api/asset/idcs", "/api/ptree/changes", "/api/monitor/rules");

    private final Map<String, JsonNode> entities;

    private StoredData(Map<String, JsonNode> entities) {
        this.entities = entities;
    }

    int size() {
        return entities.size();
    }

    static StoredData read(int port, String token) throws IOException {
        Map<String, JsonNode> entities = new LinkedHashMap<>();
        for (String list : LISTS) {
            for (int page = 0; ; page++) {
                JsonNode answer = get(port, token, list + "?size=500&page=" + page);
                for (JsonNode item : answer.path("items")) {
                    entities.put(list + "#" + identity(item), item);
                }
                if (answer.path("items").size() < 500) {
                    break;
                }
            }
        }
        for (JsonNode petition : get(port, token, "/api/auth/petitions").path("items")) {
            entities.put("petitions#" + identity(petition), petition);
        }
        List<JsonNode> nodes = new ArrayList<>();
        collect(get(port, token, "/api/ptree/tree?depth=20"), nodes);
        for (JsonNode node : nodes) {
            String id = node.path("id").asString();
            entities.put("/api/ptree/nodes/" + id, get(port, token, "/api/ptree/nodes/" + id));
            for (JsonNode binding : get(port, token, "/api/ptree/nodes/" + id + "/servers")) {
                entities.put("/api/ptree/nodes/" + id + "/servers#" + identity(binding), binding);
            }
            for (JsonNode url : get(port, token, "/api/ptree/nodes/" + id + "/urls")) {
                entities.put("/api/ptree/nodes/" + id + "/urls#" + identity(url), url);
            }
        }
        return new StoredData(entities);
    }

    /** What was in {@code before} and now reads back different or not at all, each with both versions. */
    List<String> changedSince(StoredData before) {
        List<String> changed = new ArrayList<>();
        before.entities.forEach((key, was) -> {
            JsonNode now = entities.get(key);
            if (now == null) {
                changed.add(key + " is gone (was " + was + ")");
            } else if (!withoutUse(now).equals(withoutUse(was))) {
                changed.add(key + " was " + was + ", now " + now);
            }
        });
        return changed;
    }

    private static JsonNode withoutUse(JsonNode entity) {
        if (entity instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            USE_FIELDS.forEach(copy::remove);
            return copy;
        }
        return entity;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        into.add(node);
        for (JsonNode child : node.path("children")) {
            collect(child, into);
        }
    }

    private static String identity(JsonNode item) {
        for (String field : List.of("id", "username", "hostname")) {
            if (item.has(field)) {
                return item.path(field).asString();
            }
        }
        return item.toString();
    }

    private static JsonNode get(int port, String token, String path) throws IOException {
        RawHttp.Answer answer = RawHttp.send("127.0.0.1", port, "GET", path, "Authorization: Bearer " + token + "\r\n", "");
        if (answer.status() != 200) {
            throw new IOException("GET " + path + " answered " + answer.status() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }
}
