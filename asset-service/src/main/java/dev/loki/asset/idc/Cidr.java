package dev.loki.asset.idc;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import dev.loki.asset.server.Addresses;

/** An IPv4 or IPv6 network like {@code 10.77.0.0/16}, with address arithmetic for allocation. */
public record Cidr(BigInteger base, int prefix, int bits) {

    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.strip().split("/", -1);
        if (parts.length != 2 || !parts[1].matches("\\d{1,3}")) {
            return Optional.empty();
        }
        Optional<String> ip = Addresses.ip(parts[0]);
        if (ip.isEmpty()) {
            return Optional.empty();
        }
        int bits = ip.get().contains(":") ? 128 : 32;
        int prefix = Integer.parseInt(parts[1]);
        if (prefix > bits || prefix < (bits == 32 ? 8 : 16)) {
            return Optional.empty();
        }
        BigInteger value = toNumber(ip.get());
        BigInteger mask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        return Optional.of(new Cidr(value.andNot(mask), prefix, bits));
    }

    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(bits - prefix);
    }

    public boolean contains(String ip) {
        Optional<String> canonical = Addresses.ip(ip);
        if (canonical.isEmpty() || canonical.get().contains(":") != (bits == 128)) {
            return false;
        }
        BigInteger value = toNumber(canonical.get());
        return value.compareTo(base) >= 0 && value.compareTo(base.add(size())) < 0;
    }

    /** The n-th address of the network (0 is the network address itself). */
    public String address(BigInteger n) {
        BigInteger value = base.add(n);
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[bits / 8];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try {
            return Addresses.ip(InetAddress.getByAddress(bytes).getHostAddress()).orElseThrow();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** First address handed out: skips the network address and the first host (the usual gateway). */
    public BigInteger firstAssignable() {
        return size().compareTo(BigInteger.valueOf(4)) >= 0 ? BigInteger.TWO : BigInteger.ZERO;
    }

    /** Last address handed out: IPv4 networks keep their broadcast address. */
    public BigInteger lastAssignable() {
        return bits == 32 && size().compareTo(BigInteger.valueOf(4)) >= 0 ? size().subtract(BigInteger.TWO) : size().subtract(BigInteger.ONE);
    }

    @Override
    public String toString() {
        return address(BigInteger.ZERO) + "/" + prefix;
    }

    private static BigInteger toNumber(String canonicalIp) {
        try {
            return new BigInteger(1, InetAddress.getByName(canonicalIp).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(canonicalIp, e);
        }
    }
}
