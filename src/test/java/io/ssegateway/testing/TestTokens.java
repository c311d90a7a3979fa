package io.ssegateway.testing;

import io.ssegateway.core.Namespace;
import io.ssegateway.security.TokenIssuer;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Tokens signed by a running gateway's own issuer, as {@code /login} would give them out. */
public final class TestTokens {
    /** A secret of the required 32 bytes or more, shared by the instances of a test cluster. */
    public static final String SECRET = "test-secret-test-secret-test-secret-0123456789";

    private TestTokens() {
    }

    public static String publisher(Gateway gateway, String... publish) {
        return issue(gateway, "pub", List.of("publisher"), publish.length == 0 ? null : paths(publish), List.of());
    }

    public static String admin(Gateway gateway) {
        return issue(gateway, "admin", List.of("admin"), null, List.of());
    }

    public static String subscriber(Gateway gateway, String subject, String... subscribe) {
        return issue(gateway, subject, List.of(), null, paths(subscribe));
    }

    public static String issue(Gateway gateway, String subject, List<String> roles, List<Namespace> publish,
                               List<Namespace> subscribe) {
        return gateway.bean(TokenIssuer.class).issue(subject, roles, publish, subscribe, Duration.ofMinutes(10));
    }

    private static List<Namespace> paths(String... paths) {
        return Arrays.stream(paths).map(Namespace::parse).toList();
    }
}
