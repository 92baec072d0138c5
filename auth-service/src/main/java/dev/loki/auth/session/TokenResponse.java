package dev.loki.auth.session;

/** Answer to login and refresh. {@code expiresIn} is the access token's lifetime in seconds. */
public record TokenResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {
}
