package dev.loki.ptree.system;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param zkConnect ZooKeeper connect string
 * @param zkRoot the znode under which the tree lives
 * @param assetUri asset-service's base URI (bound hostnames must exist there)
 * @param stuckAfter how long a change may stay {@code applying}/{@code reverting} before the sweeper
 *                   takes it as left by a crash
 * @param sweepInterval how often the sweeper looks
 * @param pathChangeRetention how long renames, moves and deletions stay in the path-change log that
 *                            auth- and monitor-service follow (longer than any of them stays down)
 */
@Validated
@ConfigurationProperties("loki.ptree")
public record PtreeProperties(@NotBlank String zkConnect, @NotBlank String zkRoot, @NotBlank String assetUri,
                              @DefaultValue("2m") Duration stuckAfter, @DefaultValue("30s") Duration sweepInterval,
                              @DefaultValue("30d") Duration pathChangeRetention) {
}
