package io.ssegateway.security;

import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import static io.ssegateway.security.Jwts.NOW;
import static io.ssegateway.security.Jwts.SECRET;
import static io.ssegateway.security.Jwts.claims;
import static io.ssegateway.security.Jwts.hs256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache of verified tokens answers only for the exact token, only while it is accepted, and stays small. */
class VerifiedTokensTest {
    private final SettableClock clock = new SettableClock(NOW);
    /** No clock skew, so that a token stops being accepted exactly at its {@code exp}. */
    private final SecurityConfig config = SecurityConfigs.of(SECRET, null, Duration.ZERO, null, null, false);
    private final TokenVerifier verifier = new TokenVerifier(config, new SigningSecret(config), clock);
    private final VerifiedTokens tokens = new VerifiedTokens(verifier, clock);

    @AfterEach
    void close() {
        verifier.close();
    }

    @Test
    void aCachedTokenStopsBeingAcceptedAtItsExpiry() {
        String token = hs256(claims().expirationTime(Date.from(NOW.plusSeconds(30))).build());
        assertEquals("alice", tokens.verify(token).subject());
        assertEquals(1, tokens.size());

        clock.now = NOW.plusSeconds(29);
        assertEquals("alice", tokens.verify(token).subject());
        clock.now = NOW.plusSeconds(30);
        assertEquals("token has expired", refused(token).getMessage());
    }

    @Test
    void anEntryIsDroppedAfterItsMaximumAgeEvenIfTheTokenLastsLonger() {
        String token = hs256(claims().build());
        tokens.verify(token);
        clock.now = NOW.plus(VerifiedTokens.MAX_AGE);
        // Verified again rather than answered from the old entry: the new entry lasts from now.
        assertEquals("alice", tokens.verify(token).subject());
        clock.now = NOW.plus(VerifiedTokens.MAX_AGE).plusSeconds(30);
        assertEquals("alice", tokens.verify(token).subject());
        assertEquals(1, tokens.size());
    }

    @Test
    void aTamperedTokenIsNeverAnsweredFromTheCache() {
        String token = hs256(claims().claim("roles", List.of("subscriber")).build());
        tokens.verify(token);
        String[] parts = token.split("\\.");

        String otherSignature = parts[0] + "." + parts[1] + "." + flipFirst(parts[2]);
        assertEquals("token signature is invalid", refused(otherSignature).getMessage());
        String otherClaims = parts[0] + "." + Jwts.raw("{}", "{\"sub\":\"alice\",\"roles\":[\"admin\"],\"exp\":"
                + NOW.plusSeconds(3600).getEpochSecond() + "}", "").split("\\.")[1] + "." + parts[2];
        assertEquals("token signature is invalid", refused(otherClaims).getMessage());
        assertEquals(1, tokens.size(), "a refused token was remembered");
    }

    @Test
    void theCacheHoldsAtMostItsBound() {
        for (int i = 0; i < VerifiedTokens.MAX_ENTRIES * 2; i++) {
            String token = hs256(claims().subject("user-" + i).build());
            assertEquals("user-" + i, tokens.verify(token).subject());
        }
        assertEquals(VerifiedTokens.MAX_ENTRIES, tokens.size());
        // Once the held ones expire, new tokens find room again.
        clock.now = NOW.plus(VerifiedTokens.MAX_AGE);
        tokens.verify(hs256(claims().subject("late").build()));
        assertTrue(tokens.size() <= 1, "expired entries were not dropped: " + tokens.size());
    }

    private GatewayException refused(String token) {
        GatewayException e = assertThrows(GatewayException.class, () -> tokens.verify(token));
        assertEquals(Reason.UNAUTHORIZED, e.reason());
        return e;
    }

    /** The first character: every bit of it is signature (the last one's lowest bits are not). */
    private static String flipFirst(String part) {
        return (part.charAt(0) == 'A' ? 'B' : 'A') + part.substring(1);
    }

    /** A clock the test moves. */
    private static final class SettableClock extends Clock {
        volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
