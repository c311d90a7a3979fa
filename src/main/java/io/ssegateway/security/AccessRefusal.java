package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;

import java.util.Collection;

/**
 * Why Micronaut Security turned a request away, as the gateway says it: {@code 401} with the
 * verifier's reason for the token the request carried ("token has expired"), or that a token
 * is required when it carried none; {@code 403} naming the roles the route takes. The words
 * are those the API answered before it ran on {@code @Secured}, and those the stream route
 * still answers.
 */
public final class AccessRefusal {
    static final String TOKEN_REQUIRED = "a token is required (Authorization: Bearer, access_token or cookie "
            + Tokens.COOKIE + ")";

    private AccessRefusal() {
    }

    /**
     * The refusal of {@code request}.
     *
     * @param authentication who the request speaks for, null when nobody (then it is a 401)
     * @param roles the roles the route takes, any of which would have done
     */
    public static GatewayException of(HttpRequest<?> request, @Nullable Authentication authentication,
                                      Collection<String> roles) {
        if (authentication == null) {
            return GatewayTokenValidator.refusal(request)
                    .orElseGet(() -> new GatewayException(Reason.UNAUTHORIZED, TOKEN_REQUIRED));
        }
        return new GatewayException(Reason.FORBIDDEN, "role " + String.join(" or ", roles) + " required");
    }
}
