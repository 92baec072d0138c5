package dev.loki.support;

/** Constants of Loki's JWTs, shared by the issuer (auth-service) and every verifier. */
public final class LokiJwt {

    /** {@code aud} of access tokens issued to users at login; the gateway accepts only these from clients. */
    public static final String AUDIENCE_USER = "loki";

    /** {@code aud} of short-lived tokens the gateway obtains for API tokens; never accepted from clients. */
    public static final String AUDIENCE_INTERNAL = "loki-internal";

    public static final String ISSUER = "loki";

    private LokiJwt() {
    }
}
