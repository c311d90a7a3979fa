package io.ssegateway.config;

import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which browser origins may call the gateway ({@code SSE_ALLOWED_ORIGINS}, comma-separated).
 * The same policy answers for the streams and for the HTTP API.
 *
 * <p>Credentials (cookies, the {@code sse_token} cookie in particular) are allowed only for
 * origins listed by name: with {@code *} any page could otherwise read a logged-in user's
 * private stream.
 */
@Singleton
public class CorsPolicy {
    public static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, Cache-Control, X-Requested-With, Idempotency-Key";
    public static final String MAX_AGE_SECONDS = "600";
    /**
     * Response headers a page may read besides the CORS-safelisted ones: whether a publish was
     * answered from its Idempotency-Key, and how long to wait after a 429 or 503.
     */
    public static final String EXPOSED_HEADERS = "Idempotent-Replayed, Retry-After";

    private final List<String> origins;
    private final boolean any;

    public CorsPolicy(GatewayConfig config) {
        this.origins = config.origins().stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.any = origins.contains("*");
    }

    /** The value for {@code Access-Control-Allow-Origin}, or null when the origin is not allowed. */
    public String allowOrigin(String origin) {
        if (origin == null) {
            return null;
        }
        if (origins.contains(origin)) {
            return origin;
        }
        return any ? "*" : null;
    }

    /** True only for origins listed by name. */
    public boolean allowCredentials(String origin) {
        return origin != null && origins.contains(origin);
    }

    /**
     * The CORS headers of a response to a request from {@code origin}; empty when the origin is
     * not allowed (the browser then keeps the response from the page). With
     * {@code preflightMethods}, the headers of the answer to a preflight for those methods.
     * Callers add them all: {@code Vary} may already hold other names.
     */
    public Map<String, String> headers(String origin, String preflightMethods) {
        String allow = allowOrigin(origin);
        if (allow == null) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", allow);
        // A cache must not serve the answer given to one origin to another.
        headers.put("Vary", "Origin");
        if (allowCredentials(origin)) {
            headers.put("Access-Control-Allow-Credentials", "true");
        }
        if (preflightMethods == null) {
            headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        } else {
            headers.put("Access-Control-Allow-Methods", preflightMethods);
            headers.put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            headers.put("Access-Control-Max-Age", MAX_AGE_SECONDS);
        }
        return headers;
    }

    /** True for a CORS preflight: {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}. */
    public static boolean isPreflight(String method, String origin, String requestMethod) {
        return "OPTIONS".equals(method) && origin != null && requestMethod != null;
    }
}
