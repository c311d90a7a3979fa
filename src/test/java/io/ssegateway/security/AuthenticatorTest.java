package io.ssegateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ssegateway.core.Audience;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static io.ssegateway.security.Jwts.hs256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {
    private final SecurityConfig config = SecurityConfigs.withSecret(Jwts.SECRET);
    private final TokenVerifier verifier = new TokenVerifier(config, new SigningSecret(config));
    private final Authenticator auth = new Authenticator(new VerifiedTokens(verifier));

    @AfterEach
    void close() {
        verifier.close();
    }

    /** A token that is valid now, whatever day the tests run. */
    private static String token(List<String> roles) {
        return hs256(new JWTClaimsSet.Builder().subject("alice").claim("roles", roles).build());
    }

    private static GatewayException refused(Reason reason, Executable call) {
        GatewayException e = assertThrows(GatewayException.class, call);
        assertEquals(reason, e.reason());
        return e;
    }

    @Test
    void requestWithoutTokenIsUnauthorized() {
        refused(Reason.UNAUTHORIZED, () -> auth.require(null, null, null));
        refused(Reason.UNAUTHORIZED, () -> auth.requirePublisher("Basic YTpi", null, "other=1"));
    }

    @Test
    void requestWithInvalidTokenIsUnauthorized() {
        refused(Reason.UNAUTHORIZED, () -> auth.require("Bearer not-a-token", null, null));
    }

    @Test
    void tokenIsFoundInHeaderQueryOrCookie() {
        String t = token(List.of());

        assertEquals("alice", auth.require("Bearer " + t, null, null).subject());
        assertEquals("alice", auth.require(null, t, null).subject());
        assertEquals("alice", auth.require(null, null, "sse_token=" + t).subject());
    }

    @Test
    void publishingWithoutPublisherOrAdminRoleIsForbidden() {
        GatewayException e = refused(Reason.FORBIDDEN, () -> auth.requirePublisher("Bearer " + token(List.of("reader")), null, null));

        assertEquals("role publisher or admin required", e.getMessage());
    }

    @Test
    void publisherAndAdminMayPublish() {
        assertTrue(auth.requirePublisher("Bearer " + token(List.of("publisher")), null, null).canPublish());
        assertTrue(auth.requirePublisher("Bearer " + token(List.of("admin")), null, null).canPublish());
    }

    private static String subscriber(List<String> subscribe) {
        return hs256(new JWTClaimsSet.Builder().subject("sam").claim("subscribe", subscribe).build());
    }

    @Test
    void subscriptionThatNeedsATokenGetsTheTokensAudience() {
        Audience audience = auth.subscriber(null, subscriber(List.of("/pets")), null,
                List.of(Namespace.parse("/pets/cats"), Namespace.parse("/pets")), true);

        assertEquals("sam", audience.subject());
        assertEquals(List.of(Namespace.parse("/pets")), audience.grants());
    }

    @Test
    void subscriptionThatNeedsATokenIsForbiddenATopicTheClaimDoesNotCover() {
        String token = subscriber(List.of("/pets"));

        GatewayException e = refused(Reason.FORBIDDEN, () -> auth.subscriber(null, token, null,
                List.of(Namespace.parse("/pets"), Namespace.parse("/petshop")), true));
        assertEquals("not allowed to subscribe to /petshop", e.getMessage());
        refused(Reason.UNAUTHORIZED, () -> auth.subscriber(null, null, null, List.of(Namespace.ROOT), true));
    }

    @Test
    void subscriptionWithoutTokenModeIsAnonymousUnlessATokenIsSent() {
        assertEquals(Audience.ANONYMOUS, auth.subscriber(null, null, null, List.of(Namespace.ROOT), false));
        assertEquals("sam", auth.subscriber(null, null, "sse_token=" + subscriber(List.of()), List.of(Namespace.ROOT), false)
                .subject());
        refused(Reason.UNAUTHORIZED, () -> auth.subscriber("Bearer bad", null, null, List.of(Namespace.ROOT), false));
    }

    @Test
    void optionalTokenIsEmptyWhenAbsentButMustBeValidWhenPresent() {
        assertTrue(auth.optional(null, null, null).isEmpty());
        assertEquals("alice", auth.optional(null, token(List.of()), null).orElseThrow().subject());
        refused(Reason.UNAUTHORIZED, () -> auth.optional(null, "garbage", null));
    }
}
