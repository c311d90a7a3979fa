package io.ssegateway.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginRateLimitTest {

    @Test
    void repeatedWrongPasswordsAreAnswered429WithRetryAfterBeforeAnyHashing() {
        try (Gateway gateway = Gateway.start(Map.of(
                "jwt.secret", Jwts.SECRET,
                "sse.login.address-burst", 2,
                "sse.users.alice.password-hash", UserStoreTest.hash(BCrypt.Version.VERSION_2Y, "right"),
                "sse.users.alice.roles", "publisher"))) {
            String wrong = "{\"username\":\"alice\",\"password\":\"wrong\"}";
            assertEquals(401, Http.postJson(gateway.url("/login"), null, wrong).status());
            assertEquals(401, Http.postJson(gateway.url("/login"), null, wrong).status());
            Http.Reply limited = Http.postJson(gateway.url("/login"), null, wrong);
            assertEquals(429, limited.status(), limited.body());
            assertTrue(limited.body().contains("\"error\":\"TOO_MANY_REQUESTS\""), limited.body());
            assertTrue(Integer.parseInt(limited.headers().get("Retry-After")) >= 1);
            Http.Reply right = Http.postJson(gateway.url("/login"), null, "{\"username\":\"alice\",\"password\":\"right\"}");
            assertEquals(429, right.status(), "the right password waits too: the address is out of attempts");
        }
    }
}
