package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.ssegateway.core.Audience;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * What the parts of the gateway that run before Micronaut's routing ask of a request: the raw
 * stream route ({@link TokenStreamAuthenticator}) and the check of a publish request's head
 * before its body is read ({@code ingress/HeaderChecks}). Is there a valid token, and does it
 * carry the role the action needs. Arguments are the raw {@code Authorization} header,
 * {@code access_token} query parameter and {@code Cookie} header, any of them null (see
 * {@link Tokens#extract}). The controllers get the same answer from {@code @Secured} over the
 * same {@link TokenVerifier} ({@link GatewayTokenValidator}). Both go through
 * {@link VerifiedTokens}: a publish is checked here and again by {@code @Secured}, and without
 * the cache its token was verified twice per publish.
 *
 * <p>Refusals are {@link GatewayException}s: {@link Reason#UNAUTHORIZED} (401) for a missing or
 * invalid token, {@link Reason#FORBIDDEN} (403) for a valid token without the role. Which
 * namespaces a publisher may use is not checked here but by {@code Publisher}, through
 * {@link Principal#publishGrant()}.
 */
@Singleton
public final class Authenticator {
    private final VerifiedTokens verifier;

    Authenticator(VerifiedTokens verifier) {
        this.verifier = verifier;
    }

    /** The request's principal; 401 when it has no token or an invalid one. */
    public Principal require(@Nullable String authorizationHeader, @Nullable String accessToken,
                             @Nullable String cookieHeader) {
        String token = Tokens.extract(authorizationHeader, accessToken, cookieHeader);
        if (token == null) {
            throw new GatewayException(Reason.UNAUTHORIZED, AccessRefusal.TOKEN_REQUIRED);
        }
        return verifier.verify(token);
    }

    /**
     * The request's principal when it carries a token, empty when it carries none; 401 when the
     * token it carries is invalid, since a client that sent one expects it to count.
     */
    public Optional<Principal> optional(@Nullable String authorizationHeader, @Nullable String accessToken,
                                        @Nullable String cookieHeader) {
        String token = Tokens.extract(authorizationHeader, accessToken, cookieHeader);
        return token == null ? Optional.empty() : Optional.of(verifier.verify(token));
    }

    /** As {@link #require}, and 403 unless the token has role {@code publisher} or {@code admin}. */
    public Principal requirePublisher(@Nullable String authorizationHeader, @Nullable String accessToken,
                                      @Nullable String cookieHeader) {
        Principal principal = require(authorizationHeader, accessToken, cookieHeader);
        if (!principal.canPublish()) {
            throw new GatewayException(Reason.FORBIDDEN, "role publisher or admin required");
        }
        return principal;
    }

    /**
     * The audience of a subscription to {@code topics}. When {@code tokenRequired}
     * ({@code SSE_SUBSCRIBE_AUTH=jwt}): 401 without a valid token, 403 unless its
     * {@code subscribe} claim covers every topic. Otherwise a token is optional, but one that is
     * sent must be valid, and it still decides which private and per-user events are seen.
     */
    public Audience subscriber(@Nullable String authorizationHeader, @Nullable String accessToken,
                               @Nullable String cookieHeader, List<Namespace> topics, boolean tokenRequired) {
        if (!tokenRequired) {
            return optional(authorizationHeader, accessToken, cookieHeader).map(this::audience).orElse(Audience.ANONYMOUS);
        }
        Principal principal = require(authorizationHeader, accessToken, cookieHeader);
        for (Namespace topic : topics) {
            if (!principal.canSubscribe(topic)) {
                throw new GatewayException(Reason.FORBIDDEN, "not allowed to subscribe to " + topic);
            }
        }
        return audience(principal);
    }

    private Audience audience(Principal principal) {
        return principal.audience().until(verifier.acceptedUntil(principal));
    }
}
