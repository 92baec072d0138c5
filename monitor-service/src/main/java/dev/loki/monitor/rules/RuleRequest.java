package dev.loki.monitor.rules;

import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.loki.support.ValidNodePath;

/** The body of {@code POST /api/monitor/rules} and {@code PUT /api/monitor/rules/{id}}. */
record RuleRequest(
        @NotBlank @Size(max = 100) String name,
        @NotNull @ValidNodePath String nodePath,
        @NotNull @Pattern(regexp = "^[A-Za-z0-9._/-]{1,200}$", message = "letters, digits and . _ - /") String metric,
        @Size(max = 20) Map<@Pattern(regexp = "^[A-Za-z0-9._/-]{1,200}$") String, @Pattern(regexp = "^[A-Za-z0-9._/*|-]{1,200}$") String> tags,
        @Pattern(regexp = "^(avg|sum|min|max|count|zimsum|mimmin|mimmax|dev|last|first)$", message = "an OpenTSDB aggregator: avg, sum, min, max, ...") String aggregator,
        @Pattern(regexp = "^\\d{1,4}[smhd]-(avg|sum|min|max|count|last|first)$", message = "like 1m-avg") String downsample,
        @NotNull @Pattern(regexp = "^(>|>=|<|<=|==|!=)$", message = "one of > >= < <= == !=") String comparator,
        @NotNull Double threshold,
        @NotNull @Min(0) @Max(86_400) Integer forSeconds,
        @Pattern(regexp = "^(info|warning|critical)$", message = "info, warning or critical") String severity,
        Boolean enabled,
        @Min(10) @Max(604_800) Integer noDataSeconds) {
}
