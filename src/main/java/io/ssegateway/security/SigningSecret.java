package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The HS256 key this instance verifies and signs its own tokens with: {@code jwt.secret} when
 * set; in development mode a random 256-bit key made at startup, so every restart (and every
 * instance) has its own and old development tokens stop working; none when only a JWK set is
 * configured, in which case this instance cannot issue tokens.
 *
 * <p>The key never leaves this package and is never logged.
 */
@Singleton
public final class SigningSecret {
    private static final int GENERATED_BYTES = 32;

    @Nullable
    private final byte[] key;
    private final boolean generated;

    public SigningSecret(SecurityConfig config) {
        if (config.secret() != null) {
            this.key = config.secret().getBytes(StandardCharsets.UTF_8);
            this.generated = false;
        } else if (config.developmentMode()) {
            byte[] random = new byte[GENERATED_BYTES];
            new SecureRandom().nextBytes(random);
            this.key = random;
            this.generated = true;
        } else {
            this.key = null;
            this.generated = false;
        }
    }

    /** True when there is a key to sign with. */
    public boolean present() {
        return key != null;
    }

    /** True in development mode: the key was made up at startup. */
    public boolean generated() {
        return generated;
    }

    /** A copy of the key, or null when there is none. */
    @Nullable
    byte[] bytes() {
        return key == null ? null : key.clone();
    }

    @Override
    public String toString() {
        return "SigningSecret[" + (key == null ? "none" : generated ? "generated" : "configured") + "]";
    }
}
