package dev.loki.asset.importing;

import java.nio.charset.StandardCharsets;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.asset.system.AssetProperties;
import dev.loki.events.Privilege;
import dev.loki.support.LokiProblem;
import dev.loki.support.Permissions;
import reactor.core.publisher.Mono;

/** {@code POST /api/asset/servers/import} (text/csv): bulk create/update, each row all-or-nothing. */
@RestController
class CsvImportController {

    private final CsvImporter importer;
    private final Permissions permissions;
    private final AssetProperties properties;

    CsvImportController(CsvImporter importer, Permissions permissions, AssetProperties properties) {
        this.importer = importer;
        this.permissions = permissions;
        this.properties = properties;
    }

    @PostMapping(path = "/api/asset/servers/import", consumes = {"text/csv", "text/plain", "application/csv"})
    Mono<ImportReport> importCsv(ServerHttpRequest request) {
        int limit = (int) properties.maxImportBytes().toBytes();
        return permissions.require("/", Privilege.ASSET_MANAGE)
                .then(DataBufferUtils.join(request.getBody(), limit)
                        .map(buffer -> {
                            try {
                                return buffer.toString(StandardCharsets.UTF_8);
                            } finally {
                                DataBufferUtils.release(buffer);
                            }
                        })
                        .defaultIfEmpty("")
                        .onErrorMap(DataBufferLimitException.class, e -> new LokiProblem(HttpStatus.CONTENT_TOO_LARGE,
                                "payload-too-large", "Payload too large", "A CSV import may be at most " + properties.maxImportBytes() + ".")))
                .flatMap(importer::run);
    }
}
