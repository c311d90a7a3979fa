package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import io.ssegateway.core.GatewayException;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.util.Optional;

/**
 * Micronaut Security's one token validator: {@link TokenVerifier}, the same check the raw stream
 * route makes, so the HTTP API and the streams accept exactly the same tokens (through
 * {@link VerifiedTokens}, so a publisher's token is not verified anew on every publish). The library's
 * Nimbus validators and JWK set fetching are switched off in {@code application.properties}: they
 * allow a clock skew of their own, give one answer for every failure, would accept an unsigned
 * token when no signature is configured (development mode had none), and log the whole token
 * at DEBUG.
 *
 * <p>A token that does not verify yields no authentication, so a public route stays open to a
 * client with a stale cookie; the reason is kept on the request, and a secured route's refusal
 * ({@link AccessRefusal}) says it, as the stream route does ("token has expired").
 */
@Singleton
final class GatewayTokenValidator implements TokenValidator<HttpRequest<?>> {
    private static final String REFUSAL = "sse.token.refusal";

    private final VerifiedTokens verifier;

    GatewayTokenValidator(VerifiedTokens verifier) {
        this.verifier = verifier;
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable HttpRequest<?> request) {
        try {
            return Mono.just(new PrincipalAuthentication(verifier.verify(token)));
        } catch (GatewayException e) {
            if (request != null) {
                request.setAttribute(REFUSAL, e);
            }
            return Mono.empty();
        }
    }

    /** Why the request's token was refused; empty when it verified or there was none. */
    static Optional<GatewayException> refusal(HttpRequest<?> request) {
        return request.getAttribute(REFUSAL, GatewayException.class);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
