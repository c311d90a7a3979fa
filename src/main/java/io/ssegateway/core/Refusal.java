package io.ssegateway.core;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one rendering of a refused request: the status its {@link Reason} maps to, the headers
 * the refusal calls for, and the body {@code {"error":"<REASON>","message":"..."}}. The HTTP
 * controllers, the raw stream route, login, CORS and Micronaut's own refusals all answer
 * through it, so a client reads every refusal the same way; one adapter turns it into a
 * Micronaut or a Netty response, copying {@link #status()}, {@link #headers()} and
 * {@link #body()} as they are.
 *
 * @param code the {@code error} of the body: a {@link Reason} name, or the name of an HTTP
 *     status for refusals Micronaut makes that have no reason of their own
 * @param status the HTTP status
 * @param message why, safe to show the caller
 * @param headers the headers that go with it, in order
 */
public record Refusal(String code, int status, String message, Map<String, String> headers) {
    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    public static final String RETRY_AFTER = "Retry-After";
    public static final String ALLOW = "Allow";
    /** The media type of {@link #body()}. */
    public static final String CONTENT_TYPE = "application/json";

    /** How long a client waits before trying again after a 503 of this instance, in seconds. */
    static final int DEFAULT_RETRY_AFTER_SECONDS = 1;

    /** A CORS preflight, or any request to a gateway on localhost, from an origin not allowed. */
    public static final Refusal ORIGIN_REFUSED = of(Reason.FORBIDDEN, "origin is not allowed");

    public Refusal {
        headers = Map.copyOf(headers);
    }

    /** A refusal for {@code reason} with the headers every refusal of that reason carries. */
    public static Refusal of(Reason reason, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (reason.httpStatus() == 401) {
            // RFC 9110 §15.5.2: a 401 names the scheme that would be accepted.
            headers.put(WWW_AUTHENTICATE, "Bearer");
        }
        if (reason.httpStatus() == 503 || reason.httpStatus() == 429) {
            headers.put(RETRY_AFTER, Integer.toString(DEFAULT_RETRY_AFTER_SECONDS));
        }
        return new Refusal(reason.name(), reason.httpStatus(), message, headers);
    }

    public static Refusal of(GatewayException e) {
        return of(e.reason(), e.getMessage());
    }

    /**
     * A refusal the HTTP framework made on its own, by its status: as its {@link Reason} renders
     * it where one stands for the status ({@link Reason#forStatus}), else with {@code fallbackCode}.
     */
    public static Refusal ofStatus(int status, String fallbackCode, String message) {
        Reason reason = Reason.forStatus(status);
        return reason == null ? new Refusal(fallbackCode, status, message, Map.of()) : of(reason, message);
    }

    /** A failure inside the gateway: its cause stays in the log, the caller learns nothing of it. */
    public static Refusal internal() {
        return of(Reason.INTERNAL, "internal error");
    }

    /** A body over {@code limit} bytes, refused whether it was declared or found while reading. */
    public static Refusal bodyTooLarge(long limit) {
        return of(Reason.PAYLOAD_TOO_LARGE, "body is larger than " + limit + " bytes");
    }

    /** The same refusal with one more header (or another value for one it has). */
    public Refusal with(String header, String value) {
        return with(Map.of(header, value));
    }

    /** The same refusal with these headers too (CORS, say); a header it has takes their value. */
    public Refusal with(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new Refusal(code, status, message, all);
    }

    /** The same refusal, telling the client to wait {@code seconds} before it tries again. */
    public Refusal retryAfter(long seconds) {
        return with(RETRY_AFTER, Long.toString(Math.max(1, seconds)));
    }

    /** The JSON body. */
    public String body() {
        return "{\"error\":" + Json.quote(code) + ",\"message\":" + Json.quote(message) + "}";
    }

    public byte[] bodyBytes() {
        return body().getBytes(StandardCharsets.UTF_8);
    }
}
