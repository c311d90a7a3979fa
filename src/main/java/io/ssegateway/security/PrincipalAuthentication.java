package io.ssegateway.security;

import io.micronaut.core.annotation.NonNull;
import io.micronaut.security.authentication.Authentication;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;

import java.util.Collection;
import java.util.Map;

/**
 * A verified token as Micronaut Security sees it: the name and roles {@code @Secured} checks,
 * around the {@link Principal} the gateway's own checks (publish grant, subscribe claim,
 * expiry) read. Only {@link GatewayTokenValidator} makes one, after {@link TokenVerifier}
 * accepted the token.
 *
 * @param principal what the token grants
 */
public record PrincipalAuthentication(Principal principal) implements Authentication {
    /** The key of the principal in {@link #getAttributes()}, for code that only has the map. */
    public static final String PRINCIPAL = "sse.principal";

    /**
     * The principal behind an {@link Authentication} a handler was given. Every authentication
     * of this gateway comes from its one validator; anything else (another fetcher added by a
     * later change) is refused rather than read as an anonymous grant.
     */
    public static Principal of(Authentication authentication) {
        if (authentication instanceof PrincipalAuthentication p) {
            return p.principal();
        }
        throw new GatewayException(Reason.UNAUTHORIZED, "the request was not authenticated by a gateway token");
    }

    /** The {@code sub} claim; empty for a token without one (a publisher token need not name anyone). */
    @Override
    @NonNull
    public String getName() {
        return principal.subject() == null ? "" : principal.subject();
    }

    @Override
    @NonNull
    public Collection<String> getRoles() {
        return principal.roles();
    }

    @Override
    @NonNull
    public Map<String, Object> getAttributes() {
        return Map.of(PRINCIPAL, principal);
    }
}
