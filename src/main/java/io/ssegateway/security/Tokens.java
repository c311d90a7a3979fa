package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

/**
 * Finds the bearer token of a request, from the three places a client may put it:
 * {@code Authorization: Bearer <token>} first, then the {@code access_token} query parameter
 * (for {@code EventSource}, which cannot set headers), then the cookie {@value #COOKIE}.
 * Works on plain strings so that Micronaut controllers and the raw Netty SSE handler share it.
 */
public final class Tokens {
    public static final String COOKIE = "sse_token";
    public static final String QUERY_PARAMETER = "access_token";

    private static final String BEARER = "Bearer";

    private Tokens() {
    }

    /**
     * The token the request carries, or null when it carries none. An {@code Authorization}
     * header with another scheme (say {@code Basic}) is not a token and is passed over.
     *
     * @param authorizationHeader the {@code Authorization} header, or null
     * @param accessTokenParam the decoded {@code access_token} query parameter, or null
     * @param cookieHeader the {@code Cookie} header, or null
     */
    @Nullable
    public static String extract(@Nullable String authorizationHeader, @Nullable String accessTokenParam,
                                 @Nullable String cookieHeader) {
        String token = bearer(authorizationHeader);
        if (token == null) {
            token = nonBlank(accessTokenParam);
        }
        if (token == null) {
            token = cookie(cookieHeader);
        }
        return token;
    }

    /** The token of an {@code Authorization: Bearer} header; the scheme is case-insensitive (RFC 9110 §11.1). */
    @Nullable
    static String bearer(@Nullable String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() <= BEARER.length() || !h.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || !Character.isWhitespace(h.charAt(BEARER.length()))) {
            return null;
        }
        return nonBlank(h.substring(BEARER.length()));
    }

    @Nullable
    static String cookie(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        // STRICT follows RFC 6265 and skips malformed cookies instead of guessing at them.
        for (Cookie c : ServerCookieDecoder.STRICT.decodeAll(header)) {
            if (COOKIE.equals(c.name())) {
                return nonBlank(c.value());
            }
        }
        return null;
    }

    @Nullable
    private static String nonBlank(@Nullable String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
