package dev.loki.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import dev.loki.events.LokiService;

/** helm lint --strict and helm template on charts/loki, and k8s/ is its current rendering. */
class LokiChartTests {

    static final Path CHART = Path.of("loki").toAbsolutePath();
    static final Path RENDERED = Path.of("..", "k8s", "loki.yaml").toAbsolutePath().normalize();
    static String pem;

    @BeforeAll
    static void key() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Test
    void lintsStrictlyWhenInstalledWithItsRequiredSecrets(@TempDir Path dir) throws IOException {
        Path chart = copyChart(dir);
        Files.writeString(chart.resolve("values.yaml"), Files.readString(chart.resolve("values.yaml"))
                .replace("adminPassword: \"\"", "adminPassword: \"a-real-password\"")
                .replace("jwtPrivateKey: \"\"", "jwtPrivateKey: |\n" + pem.indent(4).stripTrailing())
                .replace("internalToken: \"\"", "internalToken: \"an-internal-token\"")
                .replace("    port: 6379\n    existingSecret: \"\"", "    port: 6379\n    existingSecret: \"loki-redis\""));

        LintResult result = new Helm(chart).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void refusesToRenderWithoutAnAdminPassword() {
        assertThatThrownBy(() -> new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis").call())
                .hasMessageContaining("auth.adminPassword is required");
    }

    @Test
    void everyEnabledServiceGetsADeploymentAndAServiceOfTheSameName() {
        List<Map<String, Object>> docs = render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis")
                .set("auth.adminPassword", "a-real-password").set("auth.jwtPrivateKey", pem)
                .set("auth.internalToken", "an-internal-token").call());

        for (String name : builtServices()) {
            Map<String, Object> deployment = find(docs, "Deployment", name);
            Map<String, Object> container = container(deployment);
            assertThat(container.get("image").toString()).endsWith("/" + name + ":0.1.0-SNAPSHOT");
            assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/livez");
            assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/readyz");
            // metrics only on the management port, which no Service exposes
            assertThat(env(container)).containsEntry("LOKI_MANAGEMENT_PORT", "9090");
            assertThat(path(deployment, "spec", "template", "metadata", "annotations", "prometheus.io/port")).isEqualTo("9090");
            assertThat(path(find(docs, "Service", name), "spec", "ports").toString()).doesNotContain("9090");
            assertThat(path(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(path(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
            assertThat(find(docs, "Service", name)).isNotNull();
        }
        assertThat(env(container(find(docs, "Deployment", "gateway")))).containsEntry("LOKI_AUTH_URI", "http://auth-service:8080")
                .containsEntry("LOKI_ASSET_URI", "http://asset-service:8080");
        assertThat(env(container(find(docs, "Deployment", "ptree-service")))).containsEntry("LOKI_PTREE_DB", "loki_ptree");
        assertThat(env(container(find(docs, "Deployment", "monitor-service")))).containsEntry("LOKI_MONITOR_DB", "loki_monitor")
                .containsEntry("LOKI_OPENTSDB_URL", "http://opentsdb:4242").containsEntry("LOKI_PTREE_URI", "http://ptree-service:8080")
                .containsEntry("LOKI_ZK_CONNECT", "zookeeper:2181");
        assertThat(env(container(find(docs, "Deployment", "asset-service")))).containsEntry("LOKI_ASSET_DB", "loki_asset")
                .containsEntry("LOKI_AUTH_URI", "http://auth-service:8080");
        Map<String, Object> secret = find(docs, "Secret", "release-name-auth");
        assertThat(path(secret, "stringData", "admin-password")).isEqualTo("a-real-password");
        assertThat(path(secret, "stringData", "internal-token")).isEqualTo("an-internal-token");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyBuiltServiceHasAValuesBlock() throws IOException {
        Map<String, Object> values = new Yaml().load(Files.readString(CHART.resolve("values.yaml")));
        assertThat(((Map<String, Object>) values.get("services")).keySet()).as("services in values.yaml")
                .containsAll(builtServices()).contains("gateway", "auth-service");
    }

    /** The services of {@link LokiService} whose module is in this repository. */
    static List<String> builtServices() {
        return Arrays.stream(LokiService.values()).map(LokiService::module)
                .filter(module -> Files.isRegularFile(CHART.resolve("../../" + module + "/pom.xml").normalize())).toList();
    }

    /** Issue 11, item 10: only the gateway is reachable from outside; services only from the release's pods. */
    @Test
    @SuppressWarnings("unchecked")
    void item10_networkPoliciesAdmitOnlyTheGatewayFromOutsideAndMetricsFromMonitoring() {
        List<Map<String, Object>> docs = render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis").set("auth.existingSecret", "mine").call());

        for (String name : builtServices()) {
            Map<String, Object> policy = find(docs, "NetworkPolicy", name);
            assertThat(path(policy, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name")).isEqualTo(name);
            List<Map<String, Object>> rules = (List<Map<String, Object>>) path(policy, "spec", "ingress");
            assertThat(rules).hasSize(2);
            assertThat(rules.get(0).toString()).contains("port=http");
            if (name.equals("gateway")) {
                assertThat(rules.get(0)).doesNotContainKey("from");
            } else {
                assertThat(rules.get(0).get("from").toString()).contains("app.kubernetes.io/instance=release-name");
            }
            assertThat(rules.get(1).toString()).contains("port=management").contains("kubernetes.io/metadata.name=monitoring");
        }
        assertThat(render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis").set("auth.existingSecret", "mine").set("networkPolicy.enabled", "false").call()))
                .noneMatch(d -> "NetworkPolicy".equals(d.get("kind")));
    }

    /** Issue 11, "Also": only Loki's pods reach the stores listed under networkPolicy.stores (and the stores' own pods). */
    @Test
    @SuppressWarnings("unchecked")
    void item11also_eachStoreListedAdmitsOnlyThisReleasesPodsAndItsOwn(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("stores.yaml");
        Files.writeString(values, """
                networkPolicy:
                  stores:
                    - name: redis
                      podSelector: {app.kubernetes.io/name: redis}
                      ports: [6379]
                    - name: mariadb
                      podSelector: {app.kubernetes.io/name: mariadb}
                      ports: [3306]
                      from:
                        - podSelector: {matchLabels: {app: mariadb-backup}}
                """);
        List<Map<String, Object>> docs = render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis")
                .set("auth.existingSecret", "mine").withValuesFile(values).call());

        Map<String, Object> redis = find(docs, "NetworkPolicy", "release-name-store-redis");
        assertThat(path(redis, "spec", "podSelector", "matchLabels")).isEqualTo(Map.of("app.kubernetes.io/name", "redis"));
        List<Map<String, Object>> rules = (List<Map<String, Object>>) path(redis, "spec", "ingress");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).get("ports")).isEqualTo(List.of(Map.of("port", 6379)));
        assertThat(rules.get(0).get("from")).isEqualTo(List.of(Map.of("podSelector",
                Map.of("matchLabels", Map.of("app.kubernetes.io/instance", "release-name")))));
        assertThat(rules.get(1)).doesNotContainKey("ports");
        assertThat(rules.get(1).get("from").toString()).contains("app.kubernetes.io/name=redis");

        List<Map<String, Object>> mariadb = (List<Map<String, Object>>) path(find(docs, "NetworkPolicy", "release-name-store-mariadb"), "spec", "ingress");
        assertThat(mariadb).hasSize(3);
        assertThat(mariadb.get(2).get("from").toString()).contains("app=mariadb-backup");

        // none listed (the default): no store policy; one without its ports: refused, not a policy that admits everyone
        assertThat(render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis").set("auth.existingSecret", "mine").call()))
                .noneMatch(d -> "NetworkPolicy".equals(d.get("kind")) && String.valueOf(path(d, "metadata", "name")).contains("-store-"));
        assertThatThrownBy(() -> new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis").set("auth.existingSecret", "mine")
                .set("networkPolicy.stores[0].name", "redis").set("networkPolicy.stores[0].podSelector.app", "redis").call())
                .hasMessageContaining("every store needs name, podSelector and ports");
    }

    @Test
    @SuppressWarnings("unchecked")
    void item11also_secretsAreFilesRedisNeedsAPasswordAndEachServiceHasItsOwnDatabaseUser() {
        assertThatThrownBy(() -> new Helm(CHART).template().set("auth.existingSecret", "mine").call())
                .hasMessageContaining("global.redis.existingSecret is required");

        List<Map<String, Object>> docs = render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis")
                .set("auth.existingSecret", "mine").call());
        java.util.Set<String> users = new java.util.HashSet<>();
        for (String name : builtServices()) {
            Map<String, Object> deployment = find(docs, "Deployment", name);
            Map<String, Object> container = container(deployment);
            String envNames = container.get("env").toString();
            assertThat(envNames).doesNotContain("LOKI_INTERNAL_TOKEN").doesNotContain("LOKI_AUTH_PRIVATE_KEY")
                    .doesNotContain("LOKI_ADMIN_PASSWORD").doesNotContain("LOKI_REDIS_PASSWORD").doesNotContain("LOKI_MYSQL_PASSWORD")
                    .doesNotContain("secretKeyRef");
            assertThat(env(container)).containsEntry("SPRING_CONFIG_IMPORT", "optional:configtree:/etc/loki/secrets/");
            List<Map<String, Object>> volumes = (List<Map<String, Object>>) path(deployment, "spec", "template", "spec", "volumes");
            String files = volumes.stream().filter(v -> "secrets".equals(v.get("name"))).findFirst().orElseThrow().toString();
            assertThat(files).contains("name=mine").contains("name=loki-redis").contains("path=LOKI_REDIS_PASSWORD")
                    .contains(name.equals("gateway") ? "path=loki.gateway.internal-token" : "path=loki.security.internal-token");
            assertThat(files.contains("path=LOKI_MYSQL_PASSWORD")).as(name + " gets a database password").isEqualTo(!name.equals("gateway"));
            if (name.equals("auth-service")) {
                assertThat(files).contains("path=loki.auth.private-key").contains("path=loki.auth.admin-password");
            } else {
                assertThat(files).doesNotContain("private-key").doesNotContain("admin-password");
            }
            if (!name.equals("gateway")) {
                users.add(env(container).get("LOKI_MYSQL_USER"));
            }
        }
        assertThat(users).containsExactlyInAnyOrder("loki_auth", "loki_asset", "loki_ptree", "loki_deploy", "loki_monitor", "loki_alarm");
    }

    @Test
    @SuppressWarnings("unchecked")
    void item12_deployServiceGetsItsSshKeyAndKnownHostsAsFilesFromASecret() {
        List<Map<String, Object>> docs = render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis")
                .set("auth.existingSecret", "mine").set("services.deploy-service.ssh.existingSecret", "fleet-keys").call());
        Map<String, Object> deployment = find(docs, "Deployment", "deploy-service");
        Map<String, Object> container = container(deployment);
        assertThat(env(container)).containsEntry("LOKI_DEPLOY_SSH_KEY", "/etc/loki/ssh/key")
                .containsEntry("LOKI_DEPLOY_KNOWN_HOSTS", "/etc/loki/ssh/known_hosts").containsEntry("LOKI_DEPLOY_SSH_USER", "deploy")
                .containsEntry("LOKI_DEPLOY_SSH_PORT", "22");
        assertThat(container.get("volumeMounts").toString()).contains("mountPath=/etc/loki/ssh");
        Map<String, Object> ssh = ((List<Map<String, Object>>) path(deployment, "spec", "template", "spec", "volumes")).stream()
                .filter(v -> "ssh".equals(v.get("name"))).findFirst().orElseThrow();
        assertThat(path(ssh, "secret", "secretName")).isEqualTo("fleet-keys");
        assertThat(ssh.toString()).contains("path=key").contains("path=known_hosts");
        // only deploy-service holds the key
        for (String name : builtServices()) {
            if (!name.equals("deploy-service")) {
                assertThat(container(find(docs, "Deployment", name)).toString()).as(name).doesNotContain("/etc/loki/ssh");
            }
        }
        assertThatThrownBy(() -> new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis")
                .set("auth.existingSecret", "mine").set("services.deploy-service.ssh.existingSecret", "").call())
                .hasMessageContaining("services.deploy-service.ssh.existingSecret is required");
    }

    @Test
    @SuppressWarnings("unchecked")
    void item13_alarmServiceGetsItsSmtpServerAndItsPasswordAsAFileFromASecret() {
        List<Map<String, Object>> docs = render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis")
                .set("auth.existingSecret", "mine").set("services.alarm-service.mail.host", "smtp.example.com")
                .set("services.alarm-service.mail.username", "loki").set("services.alarm-service.mail.existingSecret", "smtp-creds").call());
        Map<String, Object> deployment = find(docs, "Deployment", "alarm-service");
        assertThat(env(container(deployment))).containsEntry("SPRING_MAIL_HOST", "smtp.example.com").containsEntry("SPRING_MAIL_PORT", "587")
                .containsEntry("SPRING_MAIL_USERNAME", "loki").containsEntry("LOKI_ALARM_NOTIFICATIONS_MAIL_FROM", "loki@example.com")
                .doesNotContainKey("SPRING_MAIL_PASSWORD");
        Map<String, Object> secrets = ((List<Map<String, Object>>) path(deployment, "spec", "template", "spec", "volumes")).stream()
                .filter(v -> "secrets".equals(v.get("name"))).findFirst().orElseThrow();
        assertThat(secrets.toString()).contains("name=smtp-creds").contains("path=spring.mail.password");
        for (String name : builtServices()) {
            if (!name.equals("alarm-service")) {
                assertThat(find(docs, "Deployment", name).toString()).as(name).doesNotContain("smtp").doesNotContain("SPRING_MAIL");
            }
        }
        // no host: no SMTP settings at all (e-mail deliveries then fail and are retried, webhooks still work)
        Map<String, Object> plain = find(render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis")
                .set("auth.existingSecret", "mine").call()), "Deployment", "alarm-service");
        assertThat(env(container(plain))).doesNotContainKey("SPRING_MAIL_HOST");
        assertThat(plain.toString()).doesNotContain("spring.mail.password");
    }

    @Test
    void aDisabledServiceIsLeftOut() {
        List<Map<String, Object>> docs = render(new Helm(CHART).template().set("global.redis.existingSecret", "loki-redis")
                .set("auth.existingSecret", "mine").set("services.gateway.enabled", "false").call());

        assertThat(docs).noneMatch(d -> "gateway".equals(path(d, "metadata", "name")));
        assertThat(docs).noneMatch(d -> "Secret".equals(d.get("kind")));
        assertThat(find(docs, "Deployment", "auth-service")).isNotNull();
    }

    /** k8s/ is generated from the chart; regenerate with -Dloki.k8s.write=true after changing the chart. */
    @Test
    void k8sManifestsAreTheCurrentRendering() throws IOException {
        String rendered = "# Generated from charts/loki with charts/loki/ci/k8s-values.yaml. Do not edit:\n"
                + "# change the chart and run ./mvnw -B -pl charts verify -Dloki.k8s.write=true\n"
                + new Helm(CHART).template().withName("loki").withNamespace("loki")
                        .withValuesFile(CHART.resolve("ci/k8s-values.yaml")).call();
        if (Boolean.getBoolean("loki.k8s.write")) {
            Files.createDirectories(RENDERED.getParent());
            Files.writeString(RENDERED, rendered);
        }
        assertThat(RENDERED).exists();
        assertThat(Files.readString(RENDERED)).as("k8s/loki.yaml is stale: re-render it (see its header)").isEqualTo(rendered);
    }

    // ------------------------------------------------------------------ helpers

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> render(String manifest) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(manifest)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(path(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> deployment) {
        return ((List<Map<String, Object>>) path(deployment, "spec", "template", "spec", "containers")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.HashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
            if (e.get("value") != null) {
                env.put(e.get("name").toString(), e.get("value").toString());
            }
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> map, String... keys) {
        Object current = map;
        for (String key : keys) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    private static Path copyChart(Path dir) throws IOException {
        Path target = dir.resolve("loki");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path source : files.toList()) {
                Path destination = target.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
        }
        return target;
    }
}
