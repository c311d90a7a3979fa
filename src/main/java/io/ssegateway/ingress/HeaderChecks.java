package io.ssegateway.ingress;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.server.HttpServerConfiguration;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ssegateway.config.CorsPolicy;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Refusal;
import io.ssegateway.security.Authenticator;
import io.ssegateway.security.LoginController;
import io.ssegateway.security.Tokens;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What can be decided about a request with a body from its head alone, before a byte of the
 * body is read: whether the caller may publish at all (a token with role {@code publisher} or
 * {@code admin}), and whether the body fits the route's bound. Thirty anonymous 15 MiB posts to
 * {@code /broadcast} once took a gateway from 319 MB to over 1 GB and out of direct memory,
 * because the body was read before the token was looked at. Which namespaces a token may
 * publish to still needs the body, and is checked by the publisher as before.
 */
@Singleton
public final class HeaderChecks {
    /** What the head says about a request, and how its body is to be taken. */
    public record Verdict(@Nullable Refusal refusal, long bodyLimit, boolean collect) {
        static final Verdict PASS = new Verdict(null, -1, false);
    }

    private final Authenticator authenticator;
    private final CorsPolicy cors;
    private final long maxRequestSize;

    public HeaderChecks(Authenticator authenticator, CorsPolicy cors, HttpServerConfiguration server) {
        this.authenticator = authenticator;
        this.cors = cors;
        this.maxRequestSize = server.getMaxRequestSize();
    }

    /**
     * The verdict on a request head: a refusal, or the bound its body must stay within and
     * whether it must be collected (within that bound) before the route sees it, for a route
     * whose bound is smaller than the server's. Requests this class knows nothing of pass.
     */
    public Verdict check(HttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            return Verdict.PASS;
        }
        try {
            return checkPost(request);
        } catch (IllegalArgumentException e) {
            // A bad percent-escape in the path or query: the router would refuse it too, after the body.
            return new Verdict(Refusal.of(Reason.MALFORMED_REQUEST, "the request target is not valid (a bad percent-escape)"),
                    -1, false);
        }
    }

    private Verdict checkPost(HttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && ApiCorsFilter.refusesOrigin(cors, origin, false,
                "http://" + request.headers().get(HttpHeaderNames.HOST, ""))) {
            return new Verdict(Refusal.ORIGIN_REFUSED, -1, false);
        }
        String path = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8).path();
        if (path.equals("/login")) {
            return sized(request, LoginController.MAX_BODY_BYTES, true);
        }
        if (path.equals("/broadcast") || path.equals("/publish") || path.startsWith("/publish/")) {
            try {
                authenticator.requirePublisher(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                        accessToken(request.uri()), null);
            } catch (GatewayException e) {
                return new Verdict(Refusal.of(e), -1, false);
            }
            return sized(request, maxRequestSize, false);
        }
        return Verdict.PASS;
    }

    private static Verdict sized(HttpRequest request, long limit, boolean collect) {
        long length = HttpUtil.getContentLength(request, -1L);
        if (length > limit) {
            return new Verdict(Refusal.bodyTooLarge(limit), limit, false);
        }
        return new Verdict(null, limit, collect);
    }

    @Nullable
    private static String accessToken(String uri) {
        List<String> values = new QueryStringDecoder(uri, StandardCharsets.UTF_8).parameters().get(Tokens.QUERY_PARAMETER);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
