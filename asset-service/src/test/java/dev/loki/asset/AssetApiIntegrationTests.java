package dev.loki.asset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.loki.events.EventType;
import dev.loki.events.ServerStatusChanged;
import dev.loki.events.LokiEvent;
import dev.loki.testsupport.EventRecorder;
import dev.loki.testsupport.LokiTestProperties;
import dev.loki.testsupport.ServiceJar;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * asset-service over HTTP against real MariaDB and Redis, with a real auth-service (its jar) issuing
 * the JWTs and answering the permission checks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AssetApiIntegrationTests {

    @TempDir
    static Path keys;

    static ServiceJar auth;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        LokiTestProperties.registerDatabase(registry, "asset");
        String prefix = LokiTestProperties.registerRedis(registry, "asset");
        auth = ServiceJar.auth("asset", prefix, "asset-admin-1", keys, Map.of());
        registry.add("loki.security.auth-uri", auth::baseUrl);
        registry.add("loki.security.jwks-uri", () -> auth.baseUrl() + "/api/auth/jwks");
    }

    @AfterAll
    static void stopAuth() {
        auth.close();
    }

    static WebTestClient authApi;
    static String admin;

    @BeforeEach
    void tokens() {
        if (admin != null) {
            return;
        }
        authApi = WebTestClient.bindToServer().baseUrl(auth.baseUrl()).responseTimeout(Duration.ofSeconds(20)).build();
        admin = authApi.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "admin", "password", "asset-admin-1")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
    }

    @LocalServerPort
    int port;

    @Autowired
    DatabaseClient db;

    @Autowired
    ReactiveRedisConnectionFactory redis;

    WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(120))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
    }

    // ------------------------------------------------------------------ internal

    @Test
    void serverStatusesAreForLokisServicesOnlyAndSayEachServersStatus() {
        create(admin, Map.of("hostname", "st-maint", "sn", "SN-ST-1", "status", "maintenance")).expectStatus().isCreated();
        create(admin, Map.of("hostname", "st-live", "sn", "SN-ST-2", "status", "online")).expectStatus().isCreated();
        String uri = dev.loki.events.InternalApi.SERVER_STATUSES + "?hostname=st-maint&hostname=st-live&hostname=st-none";
        http().get().uri(uri).header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN)
                .exchange().expectStatus().isOk().expectBody(Map.class)
                .isEqualTo(Map.of("st-maint", "maintenance", "st-live", "online"));
        // a user's token is not the internal one
        http().get().uri(uri).header("Authorization", "Bearer " + admin).exchange().expectStatus().isForbidden();
        http().get().uri(dev.loki.events.InternalApi.SERVER_STATUSES + "?hostname=Not_A_Host")
                .header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN)
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("hostname");
    }

    // ------------------------------------------------------------------ CRUD

    @Test
    void createReadUpdateListDelete() {
        idc("crud", "10.10.0.0/16");
        Map<?, ?> created = create(admin, server("crud-web01", "SN-CRUD-1", "crud", "10.10.0.11"))
                .expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/asset/servers/\\d+")
                .expectBody(Map.class).returnResult().getResponseBody();
        Number id = (Number) created.get("id");
        assertThat(created.get("status")).isEqualTo("creating");
        assertThat(created.get("macs")).isEqualTo(List.of("52:54:00:aa:bb:01"));

        http().get().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.hostname").isEqualTo("crud-web01");
        http().get().uri("/api/asset/servers/by-hostname/crud-web01").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.sn").isEqualTo("SN-CRUD-1");
        http().patch().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("os", "Debian 13", "publicIps", List.of("2001:DB8:0:0:0:0:0:1"))).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.os").isEqualTo("Debian 13").jsonPath("$.publicIps[0]").isEqualTo("2001:db8::1");

        http().get().uri("/api/asset/servers?idc=crud&hostname=web0&q=10.10.0.11").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.total").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(id)
                .jsonPath("$.page").isEqualTo(0).jsonPath("$.size").isEqualTo(50);
        http().get().uri("/api/asset/servers?idc=crud&status=online").header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(0);
        // the search text finds a server by its OS and by its IDC's name too
        for (String q : List.of("debian 13", "Debian", "crud")) {
            http().get().uri("/api/asset/servers?hostname=crud-web01&q=" + q).header("Authorization", "Bearer " + admin).exchange()
                    .expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(1);
        }

        http().delete().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin).exchange().expectStatus().isNoContent();
        http().get().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://loki.dev/problems/not-found");
        assertThat(count("server_private_ips WHERE ip = '10.10.0.11'")).isZero();
    }

    @Test
    void duplicatesAreConflicts() {
        idc("dup", "10.11.0.0/16");
        create(admin, server("dup-a", "SN-DUP-A", "dup", "10.11.0.1")).expectStatus().isCreated();
        create(admin, server("dup-a", "SN-DUP-B", "dup", "10.11.0.2")).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("hostname"))
                // the field it is about, as a validation failure names it: a form shows it there
                .jsonPath("$.errors[0].field").isEqualTo("hostname");
        create(admin, server("dup-b", "SN-DUP-A", "dup", "10.11.0.3")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("sn")).jsonPath("$.errors[0].field").isEqualTo("sn");
        create(admin, server("dup-c", "SN-DUP-C", "dup", "10.11.0.1")).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("10.11.0.1").contains("dup-a"))
                .jsonPath("$.errors[0].field").isEqualTo("privateIps");
        assertThat(count("servers WHERE idc = 'dup'")).isEqualTo(1);
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad1\",\"sn\":\"B1\",\"privateIps\":[\"10.0.0.300\"]}", "privateIps[0]"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad2\",\"sn\":\"B2\",\"publicIps\":[\"example.com\"]}", "publicIps[0]"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad3\",\"sn\":\"B3\",\"macs\":[\"52:54:00:zz:00:01\"]}", "macs[0]"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad4\",\"sn\":\"B4\",\"type\":\"container\"}", "type"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad5\",\"sn\":\"B5\",\"status\":\"broken\"}", "status"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad6\",\"sn\":\"B6\",\"cpuCores\":\"many\"}", "cpuCores"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad7\",\"sn\":\"B7\",\"rack\":\"r1\"}", "rack"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"Bad Host\",\"sn\":\"B8\"}", "hostname"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"sn\":\"B9\"}", "hostname"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad10\",\"sn\":\"B10\",\"type\":\"vm\"}", "vmHostId"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad11\",\"sn\":\"B11\",\"idc\":\"nowhere\"}", "idc"),
                Arguments.of(HttpMethod.POST, "/api/asset/servers", "{\"hostname\":\"bad12\",\"sn\":\"B12\",\"privateIps\":\"10.0.0.1\"}", "privateIps"),
                Arguments.of(HttpMethod.GET, "/api/asset/servers?size=501", null, "size"),
                Arguments.of(HttpMethod.GET, "/api/asset/servers?page=-1", null, "page"),
                Arguments.of(HttpMethod.GET, "/api/asset/servers?status=gone", null, "status"),
                Arguments.of(HttpMethod.GET, "/api/asset/servers?type=box", null, "type"),
                Arguments.of(HttpMethod.GET, "/api/asset/servers/abc", null, "id"),
                Arguments.of(HttpMethod.POST, "/api/asset/idcs", "{\"name\":\"x1\",\"network\":\"10.0.0.0/33\"}", "network"),
                Arguments.of(HttpMethod.POST, "/api/asset/allocations", "{\"idc\":\"x\",\"hostnamePrefix\":\"Web!\"}", "hostnamePrefix"));
    }

    @ParameterizedTest(name = "{0} {1} -> 400 naming {3}")
    @MethodSource("badInput")
    void badInputIs400NamingTheFieldAndStoresNothing(HttpMethod method, String uri, String body, String field) {
        long before = count("servers");
        var request = http().method(method).uri(uri).header("Authorization", "Bearer " + admin);
        var response = body == null ? request.exchange() : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();

        response.expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[?(@.field == '" + field + "')]").exists();
        assertThat(count("servers")).isEqualTo(before);
    }

    // ------------------------------------------------------------------ lifecycle and events

    @Test
    void illegalTransitionIs409NamingTheAllowedOnesAndLegalOnesEmitEvents() throws InterruptedException {
        idc("life", "10.12.0.0/16");
        Number id = (Number) create(admin, server("life-01", "SN-LIFE-1", "life", "10.12.0.1")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");

        patchStatus(id, "pool").expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.allowed[0]").isEqualTo("online").jsonPath("$.allowed[1]").isEqualTo("offline");

        try (EventRecorder recorder = EventRecorder.listen(redis, EventType.SERVER_STATUS_CHANGED)) {
            patchStatus(id, "online").expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("online");
            patchStatus(id, "maintenance").expectStatus().isOk();
            List<LokiEvent> received = recorder.await(2, Duration.ofSeconds(5));
            assertThat(received).hasSize(2);
            var first = (ServerStatusChanged) received.get(0);
            assertThat(first.hostname()).isEqualTo("life-01");
            assertThat(first.from()).isEqualTo("creating");
            assertThat(first.to()).isEqualTo("online");
        }
        patchStatus(id, "offline").expectStatus().isOk();
        patchStatus(id, "online").expectStatus().isEqualTo(409);
    }

    @Test
    void aHostWithGuestsCannotBeDeleted() {
        idc("virt", "10.13.0.0/16");
        Number host = (Number) create(admin, server("virt-host", "SN-VH", "virt", "10.13.0.1")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        Map<String, Object> guest = server("virt-guest", "SN-VG", "virt", "10.13.0.2");
        guest.put("type", "kvm");
        guest.put("vmHostId", host);
        create(admin, guest).expectStatus().isCreated().expectBody().jsonPath("$.vmHostId").isEqualTo(host);

        http().delete().uri("/api/asset/servers/" + host).header("Authorization", "Bearer " + admin).exchange()
                .expectStatus().isEqualTo(409).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(count("servers WHERE hostname = 'virt-host'")).isEqualTo(1);
    }

    @Test
    void registeringTheSameSerialNumberTwiceKeepsOneServerAndUpdatesIt() {
        idc("reg", "10.14.0.0/16");
        Map<String, Object> report = new HashMap<>(Map.of("sn", "SN-REG-1", "hostname", "reg-01", "idc", "reg",
                "privateIps", List.of("10.14.0.5"), "macs", List.of("52-54-00-00-00-05")));
        register(report).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("online");
        report.put("privateIps", List.of("10.14.0.6", "10.14.0.7"));
        report.put("cpuCores", 64);
        register(report).expectStatus().isOk().expectBody()
                .jsonPath("$.privateIps.length()").isEqualTo(2).jsonPath("$.cpuCores").isEqualTo(64);

        assertThat(count("servers WHERE sn = 'SN-REG-1'")).isEqualTo(1);
        assertThat(count("server_private_ips WHERE ip = '10.14.0.5'")).isZero();
    }

    // ------------------------------------------------------------------ import

    @Test
    void importOfTenThousandRowsWithThreeBadLinesCreatesTheRestAndReimportCreatesNothing() {
        idc("bulk", "10.20.0.0/16");
        StringBuilder csv = new StringBuilder("hostname,sn,type,idc,privateIps,macs,cpuCores,memoryMb,os\n");
        for (int i = 0; i < 10_000; i++) {
            String ip = "10.20." + (i / 250) + "." + (i % 250 + 1);
            String ips = i == 4_000 ? "10.20.999.1" : ip;                 // bad IP
            String type = i == 7_000 ? "mainframe" : "raw";               // bad type
            String cores = i == 9_999 ? "lots" : "16";                    // bad number
            csv.append("bulk").append(String.format("%05d", i)).append(",SN-BULK-").append(i).append(',').append(type)
                    .append(",bulk,").append(ips).append(",52:54:00:00:").append(String.format("%02x:%02x", i / 256, i % 256))
                    .append(',').append(cores).append(",65536,Debian 12\n");
        }

        Map<?, ?> report = importCsv(csv.toString());
        List<?> reported = (List<?>) report.get("errors");
        assertThat(report.get("created")).as("first errors: %s", reported.subList(0, Math.min(5, reported.size()))).isEqualTo(9_997);
        assertThat((List<?>) report.get("errors")).hasSize(3);
        List<Object> lines = ((List<?>) report.get("errors")).stream().map(e -> (Object) ((Map<?, ?>) e).get("line")).toList();
        assertThat(lines).containsExactly(4_002, 7_002, 10_001);
        assertThat(count("servers WHERE idc = 'bulk'")).isEqualTo(9_997);

        Map<?, ?> again = importCsv(csv.toString());
        assertThat(again.get("created")).isEqualTo(0);
        assertThat(again.get("updated")).isEqualTo(0);
        assertThat(again.get("unchanged")).isEqualTo(9_997);
        assertThat(count("servers WHERE idc = 'bulk'")).isEqualTo(9_997);
    }

    @Test
    void item16_anImportOverTheRowLimitIsRefusedWholeBeforeAnyRowIsStored() {
        StringBuilder csv = new StringBuilder("hostname,sn\n");
        for (int i = 0; i <= 50_000; i++) {
            csv.append("cap").append(i).append(",SN-CAP-").append(i).append('\n');
        }
        http().post().uri("/api/asset/servers/import").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.valueOf("text/csv")).bodyValue(csv.toString()).exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("body")
                .jsonPath("$.errors[0].message").value(m -> assertThat(m.toString()).contains("50000 rows"));
        assertThat(count("servers WHERE sn LIKE 'SN-CAP-%'")).isZero();
    }


    @Test
    void item22_aCsvWithAnUnbalancedQuoteIsA400ThatNamesNoClass() {
        http().post().uri("/api/asset/servers/import").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.valueOf("text/csv")).bodyValue("hostname,sn\n\"unbalanced,quote\nx,y\n").exchange()
                .expectStatus().isBadRequest().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("body")
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("EOF reached before encapsulated token finished")
                        .doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Za-z.]*Exception"));
    }
    // ------------------------------------------------------------------ allocation

    @Test
    void concurrentAllocationsNeverHandOutTheSameHostnameOrAddress() {
        idc("alloc", "10.30.0.0/24");
        create(admin, server("web0041", "SN-ALLOC-41", "alloc", "10.30.0.2")).expectStatus().isCreated();

        List<Map<?, ?>> results = Flux.range(0, 20)
                .<Map<?, ?>>flatMap(i -> Mono.fromCallable(() -> (Map<?, ?>) http().post().uri("/api/asset/allocations").header("Authorization", "Bearer " + admin)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("idc", "alloc", "hostnamePrefix", "web")).exchange()
                        .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody())
                        .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()), 20)
                .collectList().block(Duration.ofSeconds(60));
        Set<Object> hostnames = new HashSet<>();
        Set<Object> ips = new HashSet<>();
        results.forEach(r -> {
            hostnames.add(r.get("hostname"));
            ips.add(r.get("privateIp"));
        });
        assertThat(hostnames).hasSize(20).contains("web0042", "web0061").doesNotContain("web0041");
        assertThat(ips).hasSize(20).doesNotContain("10.30.0.2", "10.30.0.0", "10.30.0.1");
    }

    // ------------------------------------------------------------------ permissions

    @Test
    void aTokenWithoutAssetManageCanReadButNotWrite() {
        idc("perm", "10.40.0.0/16");
        Number id = (Number) create(admin, server("perm-01", "SN-PERM-1", "perm", "10.40.0.1")).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id");
        String reader = apiToken("reader", false);

        http().get().uri("/api/asset/servers?idc=perm").header("Authorization", "Bearer " + reader).exchange().expectStatus().isOk();
        http().get().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + reader).exchange().expectStatus().isOk();
        create(reader, server("perm-02", "SN-PERM-2", "perm", "10.40.0.2")).expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        http().patch().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + reader).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("os", "x")).exchange().expectStatus().isForbidden();
        http().delete().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + reader).exchange().expectStatus().isForbidden();
        http().post().uri("/api/asset/servers/register").header("Authorization", "Bearer " + reader).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sn", "SN-PERM-3", "hostname", "perm-03")).exchange().expectStatus().isForbidden();
        http().post().uri("/api/asset/servers/import").header("Authorization", "Bearer " + reader).contentType(MediaType.valueOf("text/csv"))
                .bodyValue("hostname,sn\nperm-04,SN-PERM-4\n").exchange().expectStatus().isForbidden();
        http().post().uri("/api/asset/idcs").header("Authorization", "Bearer " + reader).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", "perm2", "network", "10.41.0.0/16")).exchange().expectStatus().isForbidden();
        http().post().uri("/api/asset/allocations").header("Authorization", "Bearer " + reader).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("idc", "perm", "hostnamePrefix", "perm")).exchange().expectStatus().isForbidden();
        http().get().uri("/api/asset/servers").exchange().expectStatus().isUnauthorized();
        assertThat(count("servers WHERE idc = 'perm'")).isEqualTo(1);

        String agent = apiToken("agent", true);
        http().post().uri("/api/asset/servers/register").header("Authorization", "Bearer " + agent).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("sn", "SN-PERM-5", "hostname", "perm-05", "idc", "perm")).exchange().expectStatus().isOk();
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Object> server(String hostname, String sn, String idc, String ip) {
        return new HashMap<>(Map.of("hostname", hostname, "sn", sn, "idc", idc, "privateIps", List.of(ip),
                "macs", List.of("52:54:00:AA:BB:01"), "cpuCores", 8, "memoryMb", 16384, "diskGb", 200, "os", "Debian 12"));
    }

    private WebTestClient.ResponseSpec create(String token, Map<String, Object> body) {
        return http().post().uri("/api/asset/servers").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec patchStatus(Number id, String status) {
        return http().patch().uri("/api/asset/servers/" + id).header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("status", status)).exchange();
    }

    private WebTestClient.ResponseSpec register(Map<String, Object> body) {
        return http().post().uri("/api/asset/servers/register").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private Map<?, ?> importCsv(String csv) {
        return http().post().uri("/api/asset/servers/import").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.valueOf("text/csv")).bodyValue(csv).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    private void idc(String name, String network) {
        http().post().uri("/api/asset/idcs").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "location", "test", "network", network)).exchange().expectStatus().isCreated();
    }

    /** An API token exchanged the way the gateway does it; with asset.manage on / when {@code manage}. */
    private static String apiToken(String name, boolean manage) {
        Map<?, ?> created = authApi.post().uri("/api/auth/tokens").header("Authorization", "Bearer " + admin)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("name", name)).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody();
        if (manage) {
            authApi.post().uri("/api/auth/grants").header("Authorization", "Bearer " + admin).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("subject", "token:" + created.get("id"), "nodePath", "/", "privilege", "asset.manage"))
                    .exchange().expectStatus().isCreated();
        }
        return authApi.post().uri(dev.loki.events.InternalApi.TOKEN_EXCHANGE).header(dev.loki.events.InternalApi.TOKEN_HEADER, dev.loki.testsupport.TestInfrastructure.INTERNAL_TOKEN).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("token", created.get("token"))).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("accessToken").toString();
    }

    private long count(String tableAndWhere) {
        return db.sql("SELECT COUNT(*) FROM " + tableAndWhere).map(r -> r.get(0, Long.class)).one().block();
    }
}
