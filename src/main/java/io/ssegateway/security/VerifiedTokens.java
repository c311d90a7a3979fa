package io.ssegateway.security;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that verified a moment ago, in front of {@link TokenVerifier} for the HTTP API and the
 * streams ({@link Authenticator}, {@link GatewayTokenValidator}).
 *
 * <p>A publisher sends the same token on every request, and verifying it (the Nimbus parse of
 * header and claims, the HMAC or signature check) was 6-12 % of the publish path in the (w4)
 * profile (4 waiting publishers, 1,000 streams), and 3.8-4.6 % of all the event loops' samples
 * in later ones, where each publish was verified twice (its head check and {@code @Secured}). Looked up by the
 * exact token string, a token that differs in one character is verified afresh, so a tampered
 * token is never answered from here. An entry lasts until the token stops being accepted
 * ({@code exp} plus the clock skew, as {@link TokenVerifier#verify} would decide) and at most
 * {@link #MAX_AGE}, which also bounds how long a token signed by a key since taken out of the
 * JWK set is still accepted.
 *
 * <p>Thread-safe. Bounded to {@link #MAX_ENTRIES} tokens of at most {@link #MAX_CACHED_LENGTH}
 * characters (4 MiB of text at most); when full, expired entries are dropped and a new token
 * that still finds no room is verified each time until some expire.
 */
@Singleton
final class VerifiedTokens {
    static final int MAX_ENTRIES = 1024;
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    static final int MAX_CACHED_LENGTH = 4096;

    private record Entry(Principal principal, Instant until) {
    }

    private final TokenVerifier verifier;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    VerifiedTokens(TokenVerifier verifier) {
        this(verifier, Clock.systemUTC());
    }

    VerifiedTokens(TokenVerifier verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    /** {@link TokenVerifier#verify}, answered from the entries while the token's one lasts. */
    Principal verify(String token) {
        Instant now = clock.instant();
        Entry known = token == null ? null : entries.get(token);
        if (known != null) {
            if (now.isBefore(known.until())) {
                return known.principal();
            }
            entries.remove(token, known);
        }
        Principal principal = verifier.verify(token);
        if (token.length() <= MAX_CACHED_LENGTH) {
            remember(token, principal, now);
        }
        return principal;
    }

    private void remember(String token, Principal principal, Instant now) {
        Instant until = now.plus(MAX_AGE);
        Instant accepted = verifier.acceptedUntil(principal);
        if (accepted != null && accepted.isBefore(until)) {
            until = accepted;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> !now.isBefore(e.until()));
            if (entries.size() >= MAX_ENTRIES) {
                return;
            }
        }
        entries.put(token, new Entry(principal, until));
    }

    /** {@link TokenVerifier#acceptedUntil}. */
    Instant acceptedUntil(Principal principal) {
        return verifier.acceptedUntil(principal);
    }

    /** Tokens held now. */
    int size() {
        return entries.size();
    }
}
