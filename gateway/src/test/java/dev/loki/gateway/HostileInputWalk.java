package dev.loki.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 11's hostile-input suite: every operation of every service's OpenAPI document (read through
 * the gateway, as a client would) is called through the gateway with junk — junk path parameters,
 * wrong-typed, huge and malformed query values, bodies of the wrong type, oversized, deeply nested or
 * not UTF-8, wrong content types, malformed URLs, no token. Each answer is judged: below 500, an
 * error answer is {@code application/problem+json}, and no body names a Java class or shows a stack
 * trace. Requests go over raw sockets so that URLs and bytes no HTTP client would send can be sent.
 *
 * <p>Path identifiers are never ones that exist (the walk must not change the data that was there
 * before it); creating operations may create what their junk happens to allow.
 */
final class HostileInputWalk {

    /** An answer that broke a rule, with the request that got it. */
    record Finding(String request, int status, String problem) {
        @Override
        public String toString() {
            return status + " " + request + ": " + problem;
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** A Java class name ending in Exception/Error, or a stack frame. */
    private static final Pattern LEAK = Pattern.compile(
            "\\b(?:java|javax|jakarta|org|com|io|reactor|tools|dev|net)\\.[a-z0-9_]+(?:\\.[A-Za-z0-9_$]+)+(?:Exception|Error)\\b"
                    + "|\\bat [a-z][\\w$]*(?:\\.[\\w$]+)+\\([\\w$]+\\.java:\\d+\\)");

    /** Identifiers no store holds, in every shape a path segment can take. */
    private static final List<String> JUNK_SEGMENTS = List.of("0", "-1", "9223372036854775808", "1.5", "abc", "%00", "%F0%9F%98%80",
            "%zz", "..%2F..%2Fetc%2Fpasswd", "a%2Fb", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "%C0%AF", "x".repeat(5000), "%20", "'%20OR%201%3D1--");

    private static final List<String> JUNK_QUERY_VALUES = List.of("abc", "-1", "99999999999999999999", "1e400", "%00", "%zz", "",
            "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "%F0%9F%98%80", "%FF%FE", "y".repeat(5000), "true%27%22%3C");

    private final int port;
    private final String token;
    private final String address;
    private final Duration budget;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Integer> statuses = new HashMap<>();
    private int requests;
    private int operations;
    private int anonymous;

    HostileInputWalk(int port, String token, String clientAddress, Duration budget) {
        this.port = port;
        this.token = token;
        this.address = clientAddress;
        this.budget = budget;
    }

    int requests() {
        return requests;
    }

    int operations() {
        return operations;
    }

    List<Finding> findings() {
        return findings;
    }

    /** How many answers had each status, for the report. */
    Map<String, Integer> statuses() {
        return statuses;
    }

    /** Walks every operation of {@code /api/<service>/v3/api-docs} for each service. */
    void walk(List<String> services) throws IOException {
        long deadline = System.nanoTime() + budget.toNanos();
        for (String service : services) {
            Answer docs = send("GET", "/api/" + service + "/v3/api-docs", token, null, new byte[0]);
            if (docs.status != 200) {
                findings.add(new Finding("GET /api/" + service + "/v3/api-docs", docs.status, "no OpenAPI document"));
                continue;
            }
            JsonNode document = JSON.readTree(docs.body);
            for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
                for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                    if (System.nanoTime() > deadline) {
                        findings.add(new Finding(service, 0, "the walk ran out of its " + budget + " budget"));
                        return;
                    }
                    operations++;
                    walkOperation(document, operation.getKey().toUpperCase(Locale.ROOT), path.getKey(), operation.getValue());
                }
            }
        }
    }

    private void walkOperation(JsonNode document, String method, String template, JsonNode operation) throws IOException {
        List<JsonNode> pathParams = new ArrayList<>();
        List<JsonNode> queryParams = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            switch (parameter.path("in").asString()) {
                case "path" -> pathParams.add(parameter);
                case "query" -> queryParams.add(parameter);
                default -> {
                }
            }
        }
        String absent = fill(template, "987654321"); // a well-formed identifier that names nothing
        boolean hasBody = operation.has("requestBody") || RawHttp.carriesBody(method);
        byte[] emptyBody = hasBody ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];

        // junk path parameters
        if (!pathParams.isEmpty()) {
            for (String junk : JUNK_SEGMENTS) {
                judge(method, fill(template, junk), token, hasBody ? "application/json" : null, emptyBody);
            }
        }
        // junk query values, one parameter at a time, and parameters nobody declared
        for (JsonNode parameter : queryParams) {
            String name = parameter.path("name").asString();
            for (String junk : JUNK_QUERY_VALUES) {
                if ("params".equals(name)) { // a free map of query parameters (OpenTSDB's)
                    judge(method, absent + "?m=" + junk + "&start=" + junk, token, hasBody ? "application/json" : null, emptyBody);
                } else {
                    judge(method, absent + "?" + name + "=" + junk, token, hasBody ? "application/json" : null, emptyBody);
                }
            }
            judge(method, absent + "?" + name + "=1&" + name + "=2&" + name + "=abc", token, null, emptyBody);
        }
        judge(method, absent + "?%zz=1&x=%", token, null, emptyBody);
        // malformed URLs around the operation
        judge(method, absent + "/%zz", token, null, emptyBody);
        judge(method, absent + "/" + "z".repeat(10_000), token, null, emptyBody);
        judge(method, absent + "/..;/..;/actuator/env", token, null, emptyBody);
        judge(method, absent.replaceFirst("^/api/", "//api//"), token, null, emptyBody);
        // no token, a junk token
        judge(method, absent, null, hasBody ? "application/json" : null, emptyBody);
        judge(method, absent, "junk.token.value", hasBody ? "application/json" : null, emptyBody);
        if (hasBody) {
            walkBodies(document, method, absent, operation);
        }
    }

    private void walkBodies(JsonNode document, String method, String path, JsonNode operation) throws IOException {
        for (String body : List.of("", "{", "}", "null", "[]", "\"text\"", "123", "1e400", "{\"a\":", "[1,2,", "{\"a\":1,\"a\":2}",
                "{\"\\u0000\":\"\\u0000\"}", "{\"a\":\"\\ud800\"}", "{\"__proto__\":{\"admin\":true}}")) {
            judge(method, path, token, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }
        judge(method, path, token, "application/json", nested("[", "]", 100_000));
        judge(method, path, token, "application/json", nested("{\"a\":", "}", 50_000));
        judge(method, path, token, "application/json", ("{\"a\":\"" + "b".repeat(3 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        judge(method, path, token, "application/json", concat("{\"a\":\"", new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc0, (byte) 0xaf}, "\"}"));
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "text/csv", "application/json; charset=ebcdic", "application/octet-stream", "*/*", "garbage")) {
            judge(method, path, token, type, "{}".getBytes(StandardCharsets.UTF_8));
        }
        judge(method, path, token, "text/csv", "hostname,sn\n\"unbalanced,quote\nx,y\n".getBytes(StandardCharsets.UTF_8));
        judge(method, path, token, null, "{}".getBytes(StandardCharsets.UTF_8));

        JsonNode schema = resolve(document, operation.path("requestBody").path("content").path("application/json").path("schema"));
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            JsonNode type = resolve(document, property.getValue());
            for (String value : wrongValues(type)) {
                byte[] body = ("{\"" + property.getKey() + "\":" + value + "}").getBytes(StandardCharsets.UTF_8);
                judge(method, path, token, "application/json", body);
            }
        }
    }

    /** Values of the wrong type, out of range or oversized, for a property of this schema. */
    private static List<String> wrongValues(JsonNode type) {
        List<String> values = new ArrayList<>(List.of("null", "{}", "[[[[[[]]]]]]", "\"" + "s".repeat(100_000) + "\"", "\"\\u0000\"",
                "\"${jndi:ldap://x}\""));
        switch (type.path("type").asString()) {
            case "integer", "number" -> values.addAll(List.of("\"abc\"", "1e400", "-1e400", "9.5", "-1", "9223372036854775808", "true", "NaN"));
            case "boolean" -> values.addAll(List.of("\"yes\"", "2", "\"\""));
            case "array" -> values.addAll(List.of("\"not-a-list\"", "[null]", "[{}]", array(100_000, "1"), array(50_000, "\"x\""),
                    array(1000, "\"" + "z".repeat(1000) + "\"")));
            case "object" -> values.addAll(List.of("\"not-an-object\"", "[1]", object(50_000)));
            default -> values.addAll(List.of("12", "true", "[\"a\"]", "\"\"", "\"../../etc/passwd\"", "\"" + "\u00e9\u4e2d".repeat(20_000) + "\""));
        }
        return values;
    }

    private static String array(int size, String element) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < size; i++) {
            out.append(i == 0 ? "" : ",").append(element);
        }
        return out.append(']').toString();
    }

    private static String object(int size) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            out.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return out.append('}').toString();
    }

    private static byte[] nested(String open, String close, int depth) {
        return (open.repeat(depth) + "1" + close.repeat(depth)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        if (ref.startsWith("#/components/schemas/")) {
            return document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
        }
        return schema;
    }

    private static String fill(String template, String value) {
        return template.replaceAll("\\{[^}]+}", Matcher.quoteReplacement(value));
    }

    private void judge(String method, String target, String bearer, String contentType, byte[] body) throws IOException {
        Answer answer = send(method, target, bearer, contentType, body);
        String request = method + " " + abbreviate(target) + (contentType == null ? "" : " [" + contentType + ", " + body.length + " B]");
        statuses.merge(answer.status == 0 ? "no answer" : Integer.toString(answer.status), 1, Integer::sum);
        if (answer.status == 0) {
            findings.add(new Finding(request, 0, answer.error));
            return;
        }
        if (answer.status >= 500) {
            findings.add(new Finding(request, answer.status, "a server error: " + abbreviate(answer.body)));
        }
        String type = answer.headers.getOrDefault("content-type", "");
        if (answer.status >= 400 && !type.startsWith("application/problem+json")) {
            findings.add(new Finding(request, answer.status, "an error answer of type '" + type + "': " + abbreviate(answer.body)));
        }
        var leak = LEAK.matcher(answer.body);
        if (leak.find()) {
            findings.add(new Finding(request, answer.status, "the answer names '" + leak.group() + "'"));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "…(" + text.length() + ")";
    }

    private record Answer(int status, Map<String, String> headers, String body, String error) {
    }

    private Answer send(String method, String target, String bearer, String contentType, byte[] body) {
        requests++;
        if (bearer == null) {
            anonymous++;
        }
        // anonymous calls come from addresses of their own, so the failed-call budget (issue 11.9) does not mute the walk
        String from = bearer == null || bearer.startsWith("junk") ? "127.0.5." + (1 + anonymous / 40 % 250) : address;
        String headers = "Accept: application/json\r\n" + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n");
        try {
            RawHttp.Answer answer = RawHttp.send(from, port, method, target, headers, body, 30_000);
            return new Answer(answer.status(), answer.headers(), answer.body(), null);
        } catch (SocketTimeoutException e) {
            return new Answer(0, Map.of(), "", "no answer within 30 s");
        } catch (IOException e) {
            return new Answer(0, Map.of(), "", "no answer: " + e.getMessage());
        }
    }
}
