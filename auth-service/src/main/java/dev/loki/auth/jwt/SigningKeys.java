package dev.loki.auth.jwt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import dev.loki.auth.system.AuthProperties;

/**
 * The RSA key that signs Loki's JWTs (RS256). From {@code LOKI_AUTH_PRIVATE_KEY} (PKCS#8 PEM) in
 * production; for development generated once into {@code LOKI_AUTH_KEY_DIR/jwt-signing.pem}
 * (mode 600) and reused on every start so tokens survive restarts.
 */
@Component
public class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    static final String FILE = "jwt-signing.pem";

    private final RSAKey key;

    SigningKeys(AuthProperties properties) {
        this.key = load(properties);
    }

    RSAKey signingKey() {
        return key;
    }

    public RSAPublicKey publicKey() {
        try {
            return key.toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    JWKSet publicJwks() {
        return new JWKSet(key.toPublicJWK());
    }

    private static RSAKey load(AuthProperties properties) {
        try {
            String pem;
            if (properties.privateKey() != null && !properties.privateKey().isBlank()) {
                pem = properties.privateKey();
            } else if (properties.keyDir() != null && !properties.keyDir().isBlank()) {
                Path file = Path.of(properties.keyDir()).resolve(FILE);
                if (!Files.exists(file)) {
                    generate(file);
                }
                pem = Files.readString(file);
            } else {
                throw new IllegalStateException("No JWT signing key: set LOKI_AUTH_PRIVATE_KEY (PKCS#8 PEM) "
                        + "or LOKI_AUTH_KEY_DIR (a directory where one is generated and kept)");
            }
            return toJwk(pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("The JWT signing key is not a PKCS#8 RSA private key in PEM form", e);
        }
    }

    private static void generate(Path file) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.getParent());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.writeString(tmp, pem);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        log.info("generated a new JWT signing key in {}", file);
    }

    static RSAKey toJwk(String pem) throws GeneralSecurityException, JOSEException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        KeyFactory factory = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        return new RSAKey.Builder(publicKey).privateKey(privateKey)
                .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).keyIDFromThumbprint().build();
    }
}
