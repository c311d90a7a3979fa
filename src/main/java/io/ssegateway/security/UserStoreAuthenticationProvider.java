package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;

/**
 * The configured users ({@link UserStore}, bcrypt) as Micronaut Security's authentication
 * provider: a user who proved their password is an authentication with their roles, and their
 * {@code publish} and {@code subscribe} namespaces as attributes, which become the claims of
 * the token {@link TokenIssuer} signs for them.
 *
 * <p>It blocks for one bcrypt check (tens of milliseconds by design), so it runs on
 * {@link LoginThrottle}'s pool, never on an event loop; that is why {@code /login} is
 * {@link LoginController} and not the library's endpoint, and why Basic auth, which would call
 * it for any request past the throttle, is off.
 */
@Singleton
final class UserStoreAuthenticationProvider<B> implements HttpRequestAuthenticationProvider<B> {
    private final UserStore users;

    UserStoreAuthenticationProvider(UserStore users) {
        this.users = users;
    }

    @Override
    public AuthenticationResponse authenticate(@Nullable HttpRequest<B> request, AuthenticationRequest<String, String> credentials) {
        return users.authenticate(credentials.getIdentity(), credentials.getSecret())
                .map(UserStoreAuthenticationProvider::success)
                .orElseGet(() -> AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH));
    }

    private static AuthenticationResponse success(User user) {
        return AuthenticationResponse.success(user.name(), user.roles(), TokenClaims.grants(user.publish(), user.subscribe()));
    }
}
