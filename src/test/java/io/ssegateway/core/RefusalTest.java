package io.ssegateway.core;

import io.micronaut.http.MutableHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.ssegateway.ingress.RefusalResponses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RefusalTest {
    /** Every reason's status, written out: a new reason fails {@link #everyReasonRendersItsTableRowInBothOutputs} until it is listed. */
    private static final Map<Reason, Integer> STATUS = new EnumMap<>(Map.ofEntries(
            entry(Reason.INVALID_NAMESPACE, 400), entry(Reason.INVALID_EVENT_TYPE, 400),
            entry(Reason.INVALID_EVENT_ID, 400), entry(Reason.INVALID_DATA, 400), entry(Reason.INVALID_BODY, 400),
            entry(Reason.INVALID_COMMAND, 400), entry(Reason.TOO_MANY_TOPICS, 400),
            entry(Reason.INVALID_PARAMETER, 400), entry(Reason.MALFORMED_REQUEST, 400),
            entry(Reason.INVALID_IDEMPOTENCY_KEY, 400), entry(Reason.PAYLOAD_TOO_LARGE, 413),
            entry(Reason.PUBLISH_TOO_LARGE, 413), entry(Reason.URI_TOO_LONG, 414),
            entry(Reason.HEADERS_TOO_LARGE, 431), entry(Reason.UNSUPPORTED_TRANSFER_CODING, 501),
            entry(Reason.REQUEST_TIMEOUT, 408), entry(Reason.UNAUTHORIZED, 401), entry(Reason.FORBIDDEN, 403),
            entry(Reason.NOT_FOUND, 404), entry(Reason.IDEMPOTENCY_KEY_IN_USE, 409),
            entry(Reason.IDEMPOTENCY_KEY_MISMATCH, 422), entry(Reason.METHOD_NOT_ALLOWED, 405),
            entry(Reason.TOO_MANY_REQUESTS, 429), entry(Reason.DISABLED, 401),
            entry(Reason.TOO_MANY_CONNECTIONS, 503), entry(Reason.DRAINING, 503),
            entry(Reason.BROKER_UNAVAILABLE, 503), entry(Reason.PUBLISH_OUTCOME_UNKNOWN, 504),
            entry(Reason.INTERNAL, 500)));

    /** The headers a refusal carries by its status alone (RFC 9110 §15.5.2 for 401; SPEC §6 for 429). */
    private static Map<String, String> headersFor(int status) {
        return switch (status) {
            case 401 -> Map.of("WWW-Authenticate", "Bearer");
            case 429, 503 -> Map.of("Retry-After", "1");
            default -> Map.of();
        };
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonRendersItsTableRowInBothOutputs(Reason reason) {
        int status = STATUS.get(reason);
        String body = "{\"error\":\"" + reason.name() + "\",\"message\":\"why \\\"here\\\"\"}";
        Refusal refusal = Refusal.of(reason, "why \"here\"");

        assertEquals(status, reason.httpStatus());
        assertEquals(status, refusal.status());
        assertEquals(headersFor(status), refusal.headers());
        assertEquals(body, refusal.body());

        MutableHttpResponse<String> http = RefusalResponses.http(refusal);
        assertEquals(status, http.code());
        assertEquals(body, http.body());
        Map<String, String> expected = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        expected.putAll(headersFor(status));
        expected.put("Content-Type", "application/json");
        assertEquals(expected, headers(http));

        FullHttpResponse netty = RefusalResponses.netty(refusal);
        assertEquals(status, netty.status().code());
        assertEquals(body, netty.content().toString(StandardCharsets.UTF_8));
        expected.put("Content-Length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        assertEquals(expected, headers(netty));
        netty.release();
    }

    @Test
    void headersAddedToARefusalReachBothOutputs() {
        Refusal refusal = Refusal.of(Reason.METHOD_NOT_ALLOWED, "use GET").with(Refusal.ALLOW, "GET, OPTIONS")
                .with(Map.of("Access-Control-Allow-Origin", "https://app.example", "Vary", "Origin"));
        Map<String, String> expected = Map.of("Allow", "GET, OPTIONS",
                "Access-Control-Allow-Origin", "https://app.example", "Vary", "Origin");

        assertEquals(expected, refusal.headers());
        Map<String, String> http = headers(RefusalResponses.http(refusal));
        FullHttpResponse nettyResponse = RefusalResponses.netty(refusal);
        Map<String, String> netty = headers(nettyResponse);
        nettyResponse.release();
        expected.forEach((name, value) -> {
            assertEquals(value, http.get(name), name);
            assertEquals(value, netty.get(name), name);
        });
    }

    @Test
    void aRefusalTheFrameworkMadeTakesTheReasonOfItsStatusOrTheStatusName() {
        assertEquals(Refusal.of(Reason.UNAUTHORIZED, "no"), Refusal.ofStatus(401, "UNAUTHORIZED", "no"));
        assertEquals(Refusal.of(Reason.PAYLOAD_TOO_LARGE, "big"), Refusal.ofStatus(413, "REQUEST_ENTITY_TOO_LARGE", "big"));
        assertEquals(Refusal.of(Reason.INTERNAL, "internal error"), Refusal.ofStatus(500, "INTERNAL_SERVER_ERROR", "internal error"));
        assertEquals(new Refusal("UNSUPPORTED_MEDIA_TYPE", 415, "text/csv", Map.of()),
                Refusal.ofStatus(415, "UNSUPPORTED_MEDIA_TYPE", "text/csv"));
        for (int status = 100; status < 600; status++) {
            Reason reason = Reason.forStatus(status);
            if (reason != null) {
                assertEquals(status, reason.httpStatus(), reason.name());
            }
        }
    }

    @Test
    void unavailableAndTooManyRequestsSayWhenToComeBack() {
        assertEquals("1", Refusal.of(Reason.DRAINING, "draining").headers().get("Retry-After"));
        assertEquals("7", Refusal.of(Reason.TOO_MANY_REQUESTS, "slow down").retryAfter(7).headers().get("Retry-After"));
    }

    /** SPEC §4: {@code /login} answers a token or 401, also when it can issue none. */
    @Test
    void disabledLoginIsUnauthorizedNotAWrongMethod() {
        assertEquals(401, Reason.DISABLED.httpStatus());
        assertNull(Refusal.of(Reason.DISABLED, "no secret").headers().get("Allow"));
        assertEquals(405, Reason.METHOD_NOT_ALLOWED.httpStatus());
    }

    @Test
    void messageIsEscapedAsJson() {
        assertEquals("{\"error\":\"FORBIDDEN\",\"message\":\"a \\\"quoted\\\"\\nline\"}",
                Refusal.of(Reason.FORBIDDEN, "a \"quoted\"\nline").body());
    }

    private static Map<String, String> headers(MutableHttpResponse<?> response) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.getHeaders().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        return headers;
    }

    private static Map<String, String> headers(FullHttpResponse response) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        return headers;
    }
}
