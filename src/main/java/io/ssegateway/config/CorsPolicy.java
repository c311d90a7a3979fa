package io.ssegateway.config;

import jakarta.inject.Singleton;

import java.util.List;

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
    public static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, Cache-Control, X-Requested-With";
    public static final String MAX_AGE_SECONDS = "600";

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
}
