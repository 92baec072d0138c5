package dev.loki.asset.importing;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.asset.system.AssetProperties;
import dev.loki.events.Privilege;
import dev.loki.support.LokiProblem;
import dev.loki.support.Problems;
import dev.loki.support.Permissions;
import reactor.core.publisher.Flux;
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

    /**
     * The body is never held whole: it streams into the parser (a worker thread, not the event loop),
     * counted as it arrives; past {@code max-import-bytes} or {@code max-import-rows} the import is refused
     * before any row is stored.
     */
    @PostMapping(path = "/api/asset/servers/import", consumes = {"text/csv", "text/plain", "application/csv"})
    Mono<ImportReport> importCsv(ServerHttpRequest request) {
        long limit = properties.maxImportBytes().toBytes();
        return permissions.require("/", Privilege.ASSET_MANAGE)
                .then(Mono.defer(() -> {
                    AtomicLong received = new AtomicLong();
                    Flux<DataBuffer> counted = request.getBody().handle((buffer, sink) -> {
                        if (received.addAndGet(buffer.readableByteCount()) > limit) {
                            DataBufferUtils.release(buffer);
                            sink.error(new DataBufferLimitException("more than " + limit + " bytes"));
                        } else {
                            sink.next(buffer);
                        }
                    });
                    return importer.run(DataBufferUtils.subscriberInputStream(counted, 4), properties.maxImportRows());
                }))
                .onErrorMap(e -> Problems.causedBy(e, DataBufferLimitException.class), e -> new LokiProblem(HttpStatus.CONTENT_TOO_LARGE,
                        "payload-too-large", "Payload too large", "A CSV import may be at most " + properties.maxImportBytes() + "."));
    }

}
