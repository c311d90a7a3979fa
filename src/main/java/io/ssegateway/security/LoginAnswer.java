package io.ssegateway.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The {@code 200} of {@code POST /login}, in the names of RFC 6749 §5.1:
 * {@code {"access_token":…,"token_type":"Bearer","expires_in":<seconds>}}.
 */
@Serdeable
record LoginAnswer(@JsonProperty("access_token") String accessToken,
                   @JsonProperty("token_type") String tokenType,
                   @JsonProperty("expires_in") long expiresIn) {

    static LoginAnswer bearer(String token, long expiresIn) {
        return new LoginAnswer(token, "Bearer", expiresIn);
    }
}
