package dev.loki.asset.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** asset-service settings ({@code loki.asset.*}). */
@ConfigurationProperties("loki.asset")
public record AssetProperties(@DefaultValue("32MB") DataSize maxImportBytes) {
}
