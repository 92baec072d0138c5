package dev.loki.asset.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP and MAC address literals: validation and one canonical spelling for each. */
public final class Addresses {

    private static final Pattern IPV4 = Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9a-fA-F:.]{2,45}$");
    private static final Pattern MAC = Pattern.compile("^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\\1[0-9a-fA-F]{2}){4}$");

    private Addresses() {
    }

    /** The canonical form of an IPv4 or IPv6 literal ({@code 10.0.0.1}, {@code fd00::1}); empty if it is not one. */
    public static Optional<String> ip(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (IPV4.matcher(s).matches()) {
            return Optional.of(s);
        }
        if (s.indexOf(':') >= 0 && IPV6_CHARS.matcher(s).matches()) {
            try {
                // a literal with ':' is parsed, never looked up in DNS
                InetAddress address = InetAddress.getByName(s);
                if (address instanceof Inet6Address v6) {
                    return Optional.of(compress(v6));
                }
                if (address instanceof Inet4Address v4) {
                    return Optional.of(v4.getHostAddress());
                }
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The canonical form of a MAC address ({@code 52:54:00:12:34:56}); empty if it is not one. */
    public static Optional<String> mac(String text) {
        if (text == null || !MAC.matcher(text.strip()).matches()) {
            return Optional.empty();
        }
        return Optional.of(text.strip().toLowerCase(Locale.ROOT).replace('-', ':'));
    }

    /** RFC 5952 text: lower case, longest zero run as "::". */
    private static String compress(Inet6Address address) {
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength && j - i > 1) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
