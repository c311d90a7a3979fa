package io.ssegateway.ingress;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.server.annotation.PreMatching;
import io.micronaut.http.server.cors.CorsFilter;
import io.micronaut.http.server.util.HttpHostResolver;
import io.ssegateway.client.BrowserClientController;
import io.ssegateway.config.CorsPolicy;
import io.ssegateway.core.Refusal;

import java.net.URI;

/**
 * CORS for the HTTP API ({@code /broadcast}, {@code /publish}, {@code /login}, {@code /status},
 * {@code /health}, ...), with the same {@link CorsPolicy} the streams use: a preflight from an
 * allowed origin is answered here, one from any other origin gets a 403, and every response to
 * an allowed origin carries {@code Access-Control-Allow-Origin} and {@code Vary: Origin}
 * (credentials only for origins listed by name).
 *
 * <p>It takes the place of Micronaut's own CORS filter, so that one policy decides: switched on
 * without configuration, that filter would allow every origin, with credentials; left off, it
 * still refuses every foreign origin on localhost, listed or not. That last guard is kept here
 * for origins the policy does not list: a page the user happens to visit must not drive
 * requests into a gateway running on the user's own machine (a drive-by localhost attack).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Replaces(CorsFilter.class)
final class ApiCorsFilter {
    static final String METHODS = "GET, POST, OPTIONS";

    private final CorsPolicy policy;
    private final HttpHostResolver hosts;

    ApiCorsFilter(CorsPolicy policy, HttpHostResolver hosts) {
        this.policy = policy;
        this.hosts = hosts;
    }

    /** Before routing, so a preflight is answered whichever methods the path's route has. */
    @RequestFilter
    @PreMatching
    @Nullable
    HttpResponse<?> admit(HttpRequest<?> request) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (origin == null) {
            return null;
        }
        if (BrowserClientController.PATH.equals(request.getPath())) {
            // Public code with no data: a page on any origin may import it, even from a gateway on localhost.
            return null;
        }
        boolean preflight = CorsPolicy.isPreflight(request.getMethodName(), origin,
                request.getHeaders().get(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD));
        if (refusesOrigin(policy, origin, preflight, hosts.resolve(request))) {
            return RefusalResponses.http(Refusal.ORIGIN_REFUSED);
        }
        if (!preflight) {
            return null;
        }
        MutableHttpResponse<?> answer = HttpResponse.status(HttpStatus.NO_CONTENT).header(HttpHeaders.ALLOW, METHODS);
        policy.headers(origin, METHODS).forEach(answer.getHeaders()::add);
        return answer;
    }

    /**
     * True when a request from {@code origin} to {@code host} is refused: a preflight from an
     * origin the policy does not list, or any request from a foreign origin to a gateway on
     * localhost. {@link RequestGate} asks it too, before it looks at a token.
     */
    static boolean refusesOrigin(CorsPolicy policy, String origin, boolean preflight, @Nullable String host) {
        return policy.allowOrigin(origin) == null && (preflight || isLocal(host) && !isLocal(origin));
    }

    @ResponseFilter
    void allowOrigin(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            return;
        }
        policy.headers(request.getHeaders().get(HttpHeaders.ORIGIN), null).forEach(response.getHeaders()::add);
    }

    /**
     * A dotted IPv4 literal in 127.0.0.0/8, whole: {@code startsWith("127.")} let a page at
     * {@code http://127.evil.com} pass as local and drive requests into a gateway on localhost.
     */
    private static final java.util.regex.Pattern LOOPBACK_V4 =
            java.util.regex.Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /** {@code localhost} or a 127.x address, as a URL ({@code Origin}, resolved host); false for anything unreadable. */
    static boolean isLocal(@Nullable String url) {
        if (url == null) {
            return false;
        }
        try {
            String host = URI.create(url).getHost();
            return host != null && (host.equalsIgnoreCase("localhost") || LOOPBACK_V4.matcher(host).matches()
                    || host.equals("[::1]"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
