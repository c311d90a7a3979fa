package io.ssegateway.security;

import io.micronaut.http.HttpRequest;

import java.util.Optional;

/**
 * Where the token of an HTTP API request was found. {@link RequestTokenReader} records it on the
 * request, so that a handler can tell a token a browser put in the URL (the admin page turns it
 * into a cookie) from one it sent as a header or a cookie, without reading headers itself.
 */
public enum TokenSource {
    BEARER, QUERY, COOKIE;

    static final String ATTRIBUTE = "sse.token.source";

    /** Where the request's token came from; empty when it carried none. */
    public static Optional<TokenSource> of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, TokenSource.class);
    }
}
