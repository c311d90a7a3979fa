package io.ssegateway.core;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one rendering of a refused request: the status its {@link Reason} maps to, the headers
 * the refusal calls for, and the body {@code {"error":"<REASON>","message":"..."}}. The HTTP
 * controllers, the raw stream route, login, CORS and Micronaut's own refusals all answer
 * through it, so a client reads every refusal the same way; only the adapters that turn it
 * into a Micronaut or a Netty response differ.
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

    /** How long a client waits before trying again after a 503 of this instance, in seconds. */
    static final int DEFAULT_RETRY_AFTER_SECONDS = 1;

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

    /** The same refusal with one more header (or another value for one it has). */
    public Refusal with(String header, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(header, value);
        return new Refusal(code, status, message, more);
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
