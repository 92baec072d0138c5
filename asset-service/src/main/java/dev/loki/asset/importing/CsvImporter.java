package dev.loki.asset.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;

import dev.loki.asset.server.ServerFields;
import dev.loki.asset.server.ServerRepository;
import dev.loki.asset.server.ServerRequests;
import dev.loki.asset.server.ServerService;
import dev.loki.asset.server.ServerStatus;
import dev.loki.support.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads a CSV of servers and upserts each row by serial number, each row on its own: a bad row is
 * reported with its line number and changes nothing; the good rows are stored.
 *
 * <p>Columns (header row required, any order, case-insensitive): {@code hostname, sn} (required),
 * {@code type, vmHostId, idc, privateIps, publicIps, macs, cpuCores, memoryMb, diskGb, os, status}.
 * Lists are separated by {@code ;} or spaces.
 */
@Component
class CsvImporter {

    static final List<String> COLUMNS = List.of("hostname", "sn", "type", "vmHostId", "idc", "privateIps", "publicIps",
            "macs", "cpuCores", "memoryMb", "diskGb", "os", "status");
    private static final int CHUNK = 500;
    private static final int CONCURRENCY = 8;

    private final ServerService service;
    private final ServerRepository servers;
    private final Validator validator;

    CsvImporter(ServerService service, ServerRepository servers, Validator validator) {
        this.service = service;
        this.servers = servers;
        this.validator = validator;
    }

    record Row(long line, ServerFields fields, ServerStatus status) {
    }

    /**
     * Parses the CSV as it streams in, on a worker thread (parsing blocks on the stream), refusing the whole
     * import past {@code maxRows} data rows; then stores the rows.
     */
    Mono<ImportReport> run(InputStream csv, int maxRows) {
        List<ImportReport.LineError> errors = Collections.synchronizedList(new ArrayList<>());
        return Mono.fromCallable(() -> {
                    try (Reader reader = new InputStreamReader(csv, StandardCharsets.UTF_8)) {
                        return parse(reader, errors, maxRows);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(rows -> store(rows, errors));
    }

    private Mono<ImportReport> store(List<Row> rows, List<ImportReport.LineError> errors) {
        AtomicInteger created = new AtomicInteger();
        AtomicInteger updated = new AtomicInteger();
        AtomicInteger unchanged = new AtomicInteger();
        return Flux.fromIterable(rows).buffer(CHUNK)
                .concatMap(chunk -> servers.findBySns(chunk.stream().map(r -> r.fields().sn()).toList())
                        .flatMapMany(existing -> Flux.fromIterable(chunk).flatMap(row ->
                                service.upsert(row.fields(), row.status(), existing.get(row.fields().sn()))
                                        .doOnNext(outcome -> (switch (outcome) {
                                            case CREATED -> created;
                                            case UPDATED -> updated;
                                            case UNCHANGED -> unchanged;
                                        }).incrementAndGet())
                                        .onErrorResume(e -> {
                                            errors.add(new ImportReport.LineError(row.line(), message(e)));
                                            return Mono.empty();
                                        }), CONCURRENCY)))
                .then(Mono.fromSupplier(() -> {
                    List<ImportReport.LineError> sorted = new ArrayList<>(errors);
                    sorted.sort((a, b) -> Long.compare(a.line(), b.line()));
                    return new ImportReport(created.get(), updated.get(), unchanged.get(), sorted);
                }));
    }

    private List<Row> parse(Reader csv, List<ImportReport.LineError> errors, int maxRows) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).get();
        try (CSVParser parser = CSVParser.builder().setReader(csv).setFormat(format).get()) {
            Map<String, String> header = columns(parser.getHeaderNames());
            List<Row> rows = new ArrayList<>();
            Set<String> sns = new HashSet<>();
            Set<String> hostnames = new HashSet<>();
            Set<String> ips = new HashSet<>();
            for (CSVRecord record : parser) {
                if (record.getRecordNumber() > maxRows) {
                    throw Problems.invalid("body", "at most " + maxRows + " rows per import; split the file");
                }
                long line = record.getRecordNumber() + 1;
                try {
                    Row row = row(record, header, line);
                    String duplicate = !sns.add(row.fields().sn()) ? "sn " + row.fields().sn()
                            : !hostnames.add(row.fields().hostname()) ? "hostname " + row.fields().hostname()
                            : row.fields().privateIps().stream().filter(ip -> !ips.add(ip)).findFirst().map(ip -> "private IP " + ip).orElse(null);
                    if (duplicate != null) {
                        errors.add(new ImportReport.LineError(line, duplicate + " appears on an earlier line of this file"));
                    } else {
                        rows.add(row);
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(new ImportReport.LineError(line, e.getMessage()));
                }
            }
            return rows;
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            if (Problems.causedBy(e, DataBufferLimitException.class)) {
                throw e;
            }
            throw Problems.invalid("body", "not a CSV with a header row: " + innermostMessage(e));
        }
    }

    /** The parser's own words, without the class names its wrappers put in front of them. */
    private static String innermostMessage(Throwable error) {
        Throwable innermost = error;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        return String.valueOf(innermost.getMessage());
    }

    /** Header name (as written) by canonical column name; unknown or missing required columns are a 400. */
    private static Map<String, String> columns(List<String> names) {
        Map<String, String> canonical = COLUMNS.stream().collect(Collectors.toMap(c -> c.toLowerCase(Locale.ROOT), c -> c));
        Map<String, String> header = new HashMap<>();
        for (String name : names) {
            String column = canonical.get(name.strip().toLowerCase(Locale.ROOT));
            if (column == null) {
                throw Problems.invalid("body", "unknown column '" + name + "'; columns are " + String.join(", ", COLUMNS));
            }
            header.put(column, name);
        }
        if (!header.containsKey("hostname") || !header.containsKey("sn")) {
            throw Problems.invalid("body", "the header must name at least the columns hostname and sn");
        }
        return header;
    }

    private Row row(CSVRecord record, Map<String, String> header, long line) {
        if (!record.isConsistent()) {
            throw new IllegalArgumentException("expected " + header.size() + " fields, found " + record.size());
        }
        var request = new ServerRequests.CreateServerRequest(
                text(record, header, "hostname"), text(record, header, "sn"), text(record, header, "type"),
                number(record, header, "vmHostId", Long::valueOf), text(record, header, "idc"),
                list(record, header, "privateIps"), list(record, header, "publicIps"), list(record, header, "macs"),
                number(record, header, "cpuCores", Integer::valueOf), number(record, header, "memoryMb", Integer::valueOf),
                number(record, header, "diskGb", Integer::valueOf), text(record, header, "os"), text(record, header, "status"));
        Set<ConstraintViolation<ServerRequests.CreateServerRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(violations.stream()
                    .map(v -> v.getPropertyPath().toString().replaceAll("\\.<list element>", "") + ": " + v.getMessage())
                    .sorted().collect(Collectors.joining("; ")));
        }
        ServerFields fields = new ServerFields(request.hostname(), request.sn(), request.type(), request.vmHostId(), request.idc(),
                request.privateIps(), request.publicIps(), request.macs(), request.cpuCores(), request.memoryMb(),
                request.diskGb(), request.os());
        return new Row(line, fields, request.status() == null ? null : ServerStatus.of(request.status()).orElseThrow());
    }

    private static String text(CSVRecord record, Map<String, String> header, String column) {
        String name = header.get(column);
        if (name == null) {
            return null;
        }
        String value = record.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<String> list(CSVRecord record, Map<String, String> header, String column) {
        String value = text(record, header, column);
        return value == null ? null : Arrays.stream(value.split("[;\\s]+")).filter(s -> !s.isEmpty()).toList();
    }

    private static <T> T number(CSVRecord record, Map<String, String> header, String column, java.util.function.Function<String, T> parse) {
        String value = text(record, header, column);
        if (value == null) {
            return null;
        }
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + ": must be a whole number, not '" + value + "'");
        }
    }


    private static String message(Throwable e) {
        if (e instanceof ErrorResponse problem && problem.getBody().getDetail() != null) {
            return problem.getBody().getDetail();
        }
        return "could not be stored: " + e.getClass().getSimpleName();
    }
}
