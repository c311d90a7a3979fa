package io.ssegateway.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RefusalTest {

    @Test
    void unauthorizedNamesTheBearerScheme() {
        Refusal r = Refusal.of(Reason.UNAUTHORIZED, "token has expired");
        assertEquals(401, r.status());
        assertEquals(Map.of("WWW-Authenticate", "Bearer"), r.headers());
        assertEquals("{\"error\":\"UNAUTHORIZED\",\"message\":\"token has expired\"}", r.body());
    }

    @Test
    void unavailableAndTooManyRequestsSayWhenToComeBack() {
        assertEquals("1", Refusal.of(Reason.DRAINING, "draining").headers().get("Retry-After"));
        assertEquals("7", Refusal.of(Reason.TOO_MANY_REQUESTS, "slow down").retryAfter(7).headers().get("Retry-After"));
    }

    @Test
    void disabledIsNotImplementedNotAWrongMethod() {
        assertEquals(501, Reason.DISABLED.httpStatus());
        assertNull(Refusal.of(Reason.DISABLED, "no secret").headers().get("Allow"));
        assertEquals(405, Reason.METHOD_NOT_ALLOWED.httpStatus());
    }

    @Test
    void messageIsEscapedAsJson() {
        assertEquals("{\"error\":\"FORBIDDEN\",\"message\":\"a \\\"quoted\\\"\\nline\"}",
                Refusal.of(Reason.FORBIDDEN, "a \"quoted\"\nline").body());
    }
}
