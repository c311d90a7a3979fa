package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.reader.TokenReader;
import io.micronaut.web.router.MethodBasedRouteMatch;
import io.micronaut.web.router.RouteMatch;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The token of an HTTP API request, from the places the raw stream route reads too, in the same
 * order and with the same parsing ({@link Tokens}): {@code Authorization: Bearer}, then the
 * first {@code access_token} query parameter, then the {@code sse_token} cookie on
 * {@link AdminView} routes only.
 *
 * <p>It is the only reader (the library's bearer and cookie readers are off in
 * {@code application.properties}), so a request yields at most one token: a request that carries an
 * invalid bearer token and a valid cookie is refused for the bearer token, as the stream route
 * refuses it, instead of being let in by whichever token happens to verify. The library's own
 * bearer reader would also log a non-Bearer {@code Authorization} value (Basic credentials) at
 * DEBUG; this one logs nothing.
 */
@Singleton
final class RequestTokenReader implements TokenReader<HttpRequest<?>> {
    @Override
    public Optional<String> findToken(HttpRequest<?> request) {
        HttpHeaders headers = request.getHeaders();
        String token = Tokens.bearer(headers.get(HttpHeaders.AUTHORIZATION));
        TokenSource source = TokenSource.BEARER;
        if (token == null) {
            token = nonBlank(request.getParameters().get(Tokens.QUERY_PARAMETER));
            source = TokenSource.QUERY;
        }
        if (token == null && isAdminView(request)) {
            token = Tokens.cookie(headers.get(HttpHeaders.COOKIE));
            source = TokenSource.COOKIE;
        }
        if (token == null) {
            return Optional.empty();
        }
        request.setAttribute(TokenSource.ATTRIBUTE, source);
        return Optional.of(token);
    }

    static boolean isAdminView(HttpRequest<?> request) {
        RouteMatch<?> route = request.getAttribute(HttpAttributes.ROUTE_MATCH, RouteMatch.class).orElse(null);
        return route instanceof MethodBasedRouteMatch<?, ?> method && method.hasAnnotation(AdminView.class);
    }

    @Nullable
    private static String nonBlank(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
