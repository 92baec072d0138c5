package dev.loki.alarm.system;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * alarm-service settings ({@code loki.alarm.*}).
 *
 * @param reopenWindow an alarm resolved less than this long ago is opened again when its source fires again
 *                     (one alarm per flapping problem), rather than a new one created
 */
@Validated
@ConfigurationProperties("loki.alarm")
public record AlarmProperties(@NotNull @DefaultValue("1h") Duration reopenWindow) {
}
