package io.ssegateway.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import io.micronaut.web.router.MethodBasedRouteMatch;
import io.micronaut.web.router.RouteMatch;
import io.ssegateway.ingress.GatewayErrorHandler;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Answers a request {@code @Secured} turned away as every other refusal of the gateway is
 * answered ({@link GatewayErrorHandler}): {@code {"error":"UNAUTHORIZED"|"FORBIDDEN","message":…}}
 * with {@code WWW-Authenticate: Bearer} on a 401, in place of the library's bare status.
 */
@Singleton
@Produces
@Replaces(DefaultAuthorizationExceptionHandler.class)
final class RefusalAuthorizationHandler implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        return GatewayErrorHandler.response(AccessRefusal.of(request, exception.getAuthentication(), roles(request)));
    }

    private static List<String> roles(HttpRequest<?> request) {
        RouteMatch<?> route = request.getAttribute(HttpAttributes.ROUTE_MATCH, RouteMatch.class).orElse(null);
        if (route instanceof MethodBasedRouteMatch<?, ?> method) {
            return method.getValue(Secured.class, String[].class).map(List::of).orElse(List.of());
        }
        return List.of();
    }
}
