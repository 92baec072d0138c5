package dev.loki.asset.server;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import dev.loki.events.Hostname;

/** Request bodies of the server API. */
public final class ServerRequests {
    public static final String HOSTNAME_MESSAGE = "lower-case DNS name: letters, digits and '-', labels separated by '.'";
    public static final String SN = "^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$";
    public static final String SN_MESSAGE = "letters, digits, '.', '_', '/' or '-', at most 64";
    public static final String TYPE = "^(raw|vm|kvm)$";
    public static final String TYPE_MESSAGE = "one of raw, vm, kvm";
    public static final String STATUS_MESSAGE = "one of creating, online, maintenance, pool, offline";

    private ServerRequests() {
    }

    /** {@code POST /api/asset/servers}; {@code type} defaults to raw, {@code status} to creating. */
    public record CreateServerRequest(
            @NotNull @Pattern(regexp = Hostname.PATTERN, message = HOSTNAME_MESSAGE) String hostname,
            @NotNull @Pattern(regexp = SN, message = SN_MESSAGE) String sn,
            @Pattern(regexp = TYPE, message = TYPE_MESSAGE) String type,
            @Positive Long vmHostId,
            @Size(min = 1, max = 64) String idc,
            @Size(max = 32) List<@NotNull @IpAddress String> privateIps,
            @Size(max = 32) List<@NotNull @IpAddress String> publicIps,
            @Size(max = 32) List<@NotNull @MacAddress String> macs,
            @PositiveOrZero @Max(100_000) Integer cpuCores,
            @PositiveOrZero @Max(1_000_000_000) Integer memoryMb,
            @PositiveOrZero @Max(1_000_000_000) Integer diskGb,
            @Size(max = 128) String os,
            @Pattern(regexp = ServerStatus.REGEX, message = STATUS_MESSAGE) String status) {
    }

    /** {@code PATCH /api/asset/servers/{id}}: absent fields stay; a given list replaces the old one. */
    public record UpdateServerRequest(
            @Pattern(regexp = Hostname.PATTERN, message = HOSTNAME_MESSAGE) String hostname,
            @Pattern(regexp = SN, message = SN_MESSAGE) String sn,
            @Pattern(regexp = TYPE, message = TYPE_MESSAGE) String type,
            @Positive Long vmHostId,
            @Size(min = 1, max = 64) String idc,
            @Size(max = 32) List<@NotNull @IpAddress String> privateIps,
            @Size(max = 32) List<@NotNull @IpAddress String> publicIps,
            @Size(max = 32) List<@NotNull @MacAddress String> macs,
            @PositiveOrZero @Max(100_000) Integer cpuCores,
            @PositiveOrZero @Max(1_000_000_000) Integer memoryMb,
            @PositiveOrZero @Max(1_000_000_000) Integer diskGb,
            @Size(max = 128) String os,
            @Pattern(regexp = ServerStatus.REGEX, message = STATUS_MESSAGE) String status) {
    }

    /** {@code POST /api/asset/servers/register}: what an agent knows about its host. */
    public record RegisterRequest(
            @NotNull @Pattern(regexp = SN, message = SN_MESSAGE) String sn,
            @NotNull @Pattern(regexp = Hostname.PATTERN, message = HOSTNAME_MESSAGE) String hostname,
            @Pattern(regexp = TYPE, message = TYPE_MESSAGE) String type,
            @Positive Long vmHostId,
            @Size(min = 1, max = 64) String idc,
            @Size(max = 32) List<@NotNull @IpAddress String> privateIps,
            @Size(max = 32) List<@NotNull @IpAddress String> publicIps,
            @Size(max = 32) List<@NotNull @MacAddress String> macs,
            @PositiveOrZero @Max(100_000) Integer cpuCores,
            @PositiveOrZero @Max(1_000_000_000) Integer memoryMb,
            @PositiveOrZero @Max(1_000_000_000) Integer diskGb,
            @Size(max = 128) String os) {
    }
}
