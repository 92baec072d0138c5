package dev.loki.auth.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

import dev.loki.auth.system.AuthProperties;

/**
 * The address a login comes from, for throttling. Behind the gateway every request arrives from the
 * gateway, so the TCP peer says nothing about the client: the gateway names the client in
 * {@value #HEADER} (always set by it, never passed on from the client), and that header is believed
 * only from a peer in {@code loki.auth.login.trusted-proxies} (the gateway's network; NetworkPolicy
 * keeps others out). A trusted peer without the header is a Loki component, not a client: no address
 * (the per-user limit still applies). Any other peer is the client itself.
 */
@Component
class ClientAddress {

    static final String HEADER = "X-Loki-Client-Address";

    private final List<Cidr> trusted;

    ClientAddress(AuthProperties properties) {
        this.trusted = properties.login().trustedProxies().stream().map(Cidr::parse).toList();
    }

    /** The client's address, or null when it is not known (then only per-user limits apply). */
    String of(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
        if (peer == null) {
            return null;
        }
        if (trusted.stream().noneMatch(c -> c.contains(remote.getAddress()))) {
            return peer;
        }
        String named = request.getHeaders().getFirst(HEADER);
        return named != null && isAddress(named.strip()) ? named.strip() : null;
    }

    /** A literal IPv4 or IPv6 address (never a host name: nothing is looked up). */
    static boolean isAddress(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return false;
        }
        if (text.indexOf(':') < 0) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                return false;
            }
            for (String part : parts) {
                if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        if (!text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return false;
        }
        try {
            // with a ':' this parses an IPv6 literal and never asks DNS
            return InetAddress.getByName(text) instanceof java.net.Inet6Address || text.contains(".");
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** A network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}), from configuration. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            String[] parts = text.strip().split("/");
            try {
                if (!isAddress(parts[0])) {
                    throw new IllegalArgumentException("not an IP address");
                }
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : address.length * 8;
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("prefix length out of range");
                }
                return new Cidr(address, bits);
            } catch (java.net.UnknownHostException | RuntimeException e) {
                throw new IllegalArgumentException("loki.auth.login.trusted-proxies: '" + text + "' is no CIDR like 10.0.0.0/8", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((candidate[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
