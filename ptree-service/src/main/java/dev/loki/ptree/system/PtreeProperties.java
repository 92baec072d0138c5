package dev.loki.ptree.system;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param zkConnect ZooKeeper connect string
 * @param zkRoot the znode under which the tree lives
 * @param assetUri asset-service's base URI (bound hostnames must exist there)
 */
@Validated
@ConfigurationProperties("loki.ptree")
public record PtreeProperties(@NotBlank String zkConnect, @NotBlank String zkRoot, @NotBlank String assetUri) {
}
