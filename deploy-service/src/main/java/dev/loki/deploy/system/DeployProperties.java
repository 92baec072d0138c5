package dev.loki.deploy.system;

import java.net.URI;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * deploy-service settings ({@code loki.deploy.*}).
 *
 * @param ptreeUri ptree-service (a node's servers, their traffic ratios and offline flags; path changes)
 * @param assetUri asset-service (each server's status and IDC)
 */
@Validated
@ConfigurationProperties("loki.deploy")
public record DeployProperties(@NotNull URI ptreeUri, @NotNull URI assetUri) {
}
