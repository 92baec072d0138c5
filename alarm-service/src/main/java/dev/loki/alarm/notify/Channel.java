package dev.loki.alarm.notify;

import java.net.URI;
import java.time.Instant;

/**
 * Where notifications go. The API shows a webhook's target only as far as its host (the path of a chat
 * service's webhook URL is its secret) and never the HMAC secret; {@code signed} says whether there is one.
 *
 * @param type {@code webhook} (a URL that receives a signed POST) or {@code email} (addresses, separated by commas)
 */
public record Channel(long id, String name, String type, String target, boolean signed, String createdBy, Instant createdAt) {

    /** {@code https://hooks.example.com/…}: scheme, host and port of a URL, never its path or query. */
    static String masked(String target) {
        if (!target.contains("://")) {
            return target; // e-mail addresses: who is told is no secret
        }
        try {
            URI uri = URI.create(target);
            return uri.getScheme() + "://" + uri.getRawAuthority().replaceAll("^.*@", "") + (uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : "/…");
        } catch (RuntimeException e) {
            return "…";
        }
    }
}
