package dev.loki.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** Which tokens are worth verifying, against an HTTP server publishing a JWKS the way auth-service does. */
class KnownKeyIdsTests {

    DisposableServer jwks;
    final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void publish() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String body = new JWKSet(new RSAKey.Builder((RSAPublicKey) generator.generateKeyPair().getPublic()).keyID("current").build())
                .toString();
        jwks = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/api/auth/jwks", (req, res) -> {
                    reads.incrementAndGet();
                    return res.header("Content-Type", "application/json").sendString(Mono.just(body));
                }))
                .bindNow();
    }

    @AfterEach
    void stop() {
        jwks.disposeNow();
    }

    @Test
    void theFirstTokenOfAPublishedKeyIsVerifiedAndUnknownKeysCostOneReadPerInterval() {
        KnownKeyIds ids = new KnownKeyIds(WebClient.builder(), URI.create("http://127.0.0.1:" + jwks.port() + "/api/auth/jwks"),
                Duration.ofMinutes(10));

        assertThat(ids.mayVerify("current").block(Duration.ofSeconds(10))).as("the very first token, of a published key").isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(ids.mayVerify("forged-" + i).block(Duration.ofSeconds(10))).isFalse();
        }
        assertThat(ids.mayVerify("current").block(Duration.ofSeconds(10))).isTrue();
        assertThat(reads.get()).as("JWKS reads").isEqualTo(1);
    }

    @Test
    void whileTheJwksCannotBeReadTheDecoderDecidesEveryTime() {
        // port 1 is never listened on: the reading fails, as while auth-service is still starting
        KnownKeyIds ids = new KnownKeyIds(WebClient.builder(), URI.create("http://127.0.0.1:1/api/auth/jwks"), Duration.ofMinutes(10));

        assertThat(ids.mayVerify("current").block(Duration.ofSeconds(10))).isTrue();
        assertThat(ids.mayVerify("current").block(Duration.ofSeconds(10))).as("a second token within the interval").isTrue();
    }
}
