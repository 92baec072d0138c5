package dev.loki.asset.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * asset-service settings ({@code loki.asset.*}).
 *
 * @param maxImportBytes the largest CSV import body
 * @param maxImportRows the most data rows one CSV import may hold; a longer file is refused whole
 */
@ConfigurationProperties("loki.asset")
public record AssetProperties(@DefaultValue("32MB") DataSize maxImportBytes, @DefaultValue("50000") int maxImportRows) {
}
