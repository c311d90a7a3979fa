package io.ssegateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.core.annotation.Internal;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the gateway's claims from a token whose signature and times were already checked.
 * Anything malformed rejects the whole token: a {@code publish} entry we cannot read must not
 * turn into a grant that is wider or narrower than the issuer meant.
 */
@Internal
final class TokenClaims {
    static final String SUBJECT = "sub";
    static final String ROLES = "roles";
    static final String PUBLISH = "publish";
    static final String SUBSCRIBE = "subscribe";

    /** Bounds a signed but absurd token; real tokens list a handful of entries. */
    static final int MAX_ENTRIES = 256;

    private static final Pattern ROLE_SEPARATORS = Pattern.compile("[\\s,]+");

    private TokenClaims() {
    }

    /**
     * The grant claims of a token the gateway issues, the other way round: {@code subscribe},
     * and {@code publish} unless null (no claim: unrestricted).
     */
    static Map<String, Object> grants(@Nullable List<Namespace> publish, List<Namespace> subscribe) {
        Map<String, Object> claims = new HashMap<>();
        claims.put(SUBSCRIBE, subscribe.stream().map(Namespace::path).toList());
        if (publish != null) {
            claims.put(PUBLISH, publish.stream().map(Namespace::path).toList());
        }
        return claims;
    }

    static Principal principal(JWTClaimsSet claims) {
        Object sub = claims.getClaim(SUBJECT);
        if (sub != null && !(sub instanceof String)) {
            throw rejected("claim 'sub' must be a string");
        }
        return new Principal(
                (String) sub,
                roles(claims.getClaim(ROLES)),
                claims.getClaim(PUBLISH) == null ? null : namespaces(PUBLISH, claims.getClaim(PUBLISH)),
                claims.getClaim(SUBSCRIBE) == null ? List.of() : namespaces(SUBSCRIBE, claims.getClaim(SUBSCRIBE)),
                claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant());
    }

    /** An array of strings, or one string of names separated by spaces or commas (OAuth {@code scope} style). */
    private static Set<String> roles(Object value) {
        Set<String> roles = new LinkedHashSet<>();
        if (value == null) {
            return roles;
        }
        if (value instanceof String s) {
            for (String role : ROLE_SEPARATORS.split(s.trim())) {
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            }
        } else {
            for (String role : strings(ROLES, value)) {
                if (!role.isBlank()) {
                    roles.add(role.trim());
                }
            }
        }
        if (roles.size() > MAX_ENTRIES) {
            throw rejected("claim 'roles' has more than " + MAX_ENTRIES + " entries");
        }
        return roles;
    }

    private static List<Namespace> namespaces(String claim, Object value) {
        List<Namespace> namespaces = new ArrayList<>();
        for (String s : strings(claim, value)) {
            try {
                namespaces.add(Namespace.parse(s));
            } catch (GatewayException e) {
                throw rejected("claim '" + claim + "' holds an invalid namespace: " + e.getMessage());
            }
        }
        return namespaces;
    }

    private static List<String> strings(String claim, Object value) {
        if (!(value instanceof List<?> list)) {
            throw rejected("claim '" + claim + "' must be an array of strings");
        }
        if (list.size() > MAX_ENTRIES) {
            throw rejected("claim '" + claim + "' has more than " + MAX_ENTRIES + " entries");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw rejected("claim '" + claim + "' must be an array of strings");
            }
            out.add(s);
        }
        return out;
    }

    private static GatewayException rejected(String message) {
        return new GatewayException(Reason.UNAUTHORIZED, "token rejected: " + message);
    }
}
