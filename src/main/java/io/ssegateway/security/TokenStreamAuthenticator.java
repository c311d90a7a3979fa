package io.ssegateway.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.core.Audience;
import io.ssegateway.core.Namespace;
import io.ssegateway.egress.SseRequest;
import io.ssegateway.egress.StreamAuthenticator;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Subscriber auth for the SSE endpoint: the token from {@code Authorization: Bearer},
 * {@code access_token} or the {@code sse_token} cookie, checked as {@link Authenticator#subscriber}
 * says, with a token required when {@code sse.subscribe-auth} is {@code jwt}.
 *
 * <p>Runs on the stream's event loop: HS256 and cached JWK set keys cost microseconds; only a
 * token with a key id the cache lacks waits for a (rate-limited) fetch.
 */
@Singleton
final class TokenStreamAuthenticator implements StreamAuthenticator {
    private final Authenticator authenticator;
    private final boolean tokenRequired;

    TokenStreamAuthenticator(Authenticator authenticator, GatewayConfig config) {
        this.authenticator = authenticator;
        this.tokenRequired = config.subscribeNeedsToken();
    }

    @Override
    public Audience authenticate(SseRequest request, List<Namespace> topics) {
        return authenticator.subscriber(request.header(HttpHeaderNames.AUTHORIZATION),
                request.param(Tokens.QUERY_PARAMETER), request.header(HttpHeaderNames.COOKIE), topics, tokenRequired);
    }
}
