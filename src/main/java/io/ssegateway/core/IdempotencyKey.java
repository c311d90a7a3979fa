package io.ssegateway.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An {@code Idempotency-Key} as the broker remembers it: scoped to one publisher, with the
 * fingerprint of the request it came with and how long it is remembered.
 *
 * @param scoped the key within its publisher's scope; the broker's name for the record
 * @param fingerprint a hash of what the request publishes (route, namespaces, events): the same
 *     key with another fingerprint is a different request, refused rather than answered with
 *     the first one's ids
 * @param window how long the key is remembered after its last event was published
 */
public record IdempotencyKey(String scoped, String fingerprint, Duration window) {
    /** The header's grammar: a key travels in logs and Redis key names, so no spaces or controls. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /**
     * Validates {@code key} and scopes it to {@code publisher} (the token's subject; null for a
     * token without one): two publishers may pick the same key without meeting.
     */
    public static IdempotencyKey of(String key, String publisher, String route, List<EventDraft> drafts, Duration window) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new GatewayException(Reason.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
        }
        String scope = sha256(publisher == null ? "" : publisher).substring(0, 16);
        return new IdempotencyKey(scope + ":" + key, fingerprint(route, drafts), window);
    }

    /** Every field, each prefixed by its length, so that no two requests share a text. */
    static String fingerprint(String route, List<EventDraft> drafts) {
        StringBuilder s = new StringBuilder();
        field(s, route);
        for (EventDraft d : drafts) {
            field(s, Integer.toString(d.namespaces().size()));
            for (Namespace n : d.namespaces()) {
                field(s, n.path());
            }
            field(s, d.type());
            field(s, d.data());
            field(s, d.privateEvent() ? "1" : "0");
            field(s, d.user() == null ? "" : "=" + d.user());
        }
        return sha256(s.toString());
    }

    private static void field(StringBuilder s, String value) {
        s.append(value.length()).append(':').append(value);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
