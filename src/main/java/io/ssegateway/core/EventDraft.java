package io.ssegateway.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An event as a publisher asked for it, before the broker gives it an id.
 *
 * <p>Everything is checked here, once: the event type and the user can never carry CR, LF or
 * NUL (either would end an SSE field early and let a publisher forge fields: SSE field
 * injection), and there is at least one namespace and no duplicate.
 *
 * @param namespaces where the event goes, in the order given, without duplicates
 * @param type the SSE event type; {@code message} is the default and is not written on the wire
 * @param data the payload; its line breaks become separate {@code data:} lines
 * @param privateEvent only subscribers whose token covers a matched namespace may see it
 * @param user when not null, only subscribers whose token subject equals it may see it
 */
public record EventDraft(List<Namespace> namespaces, String type, String data, boolean privateEvent, String user) {
    public static final String DEFAULT_TYPE = "message";
    /** More would make one publish fan out over an unbounded number of streams and channels. */
    public static final int MAX_NAMESPACES = 32;
    public static final int MAX_USER_LENGTH = 256;

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public EventDraft {
        if (namespaces == null || namespaces.isEmpty()) {
            throw new GatewayException(Reason.INVALID_NAMESPACE, "an event needs at least one namespace");
        }
        if (namespaces.size() > MAX_NAMESPACES) {
            throw new GatewayException(Reason.INVALID_NAMESPACE, "an event may name at most " + MAX_NAMESPACES + " namespaces");
        }
        namespaces = List.copyOf(new LinkedHashSet<>(namespaces));
        type = type == null ? DEFAULT_TYPE : type;
        checkType(type);
        if (data == null) {
            throw new GatewayException(Reason.INVALID_DATA, "data is missing");
        }
        if (user != null) {
            if (user.isEmpty() || user.length() > MAX_USER_LENGTH) {
                throw new GatewayException(Reason.INVALID_BODY, "user must be 1 to " + MAX_USER_LENGTH + " characters");
            }
            for (int i = 0; i < user.length(); i++) {
                char c = user.charAt(i);
                if (c == '\r' || c == '\n' || c == '\0') {
                    throw new GatewayException(Reason.INVALID_BODY, "user must not contain CR, LF or NUL");
                }
            }
        }
    }

    public static EventDraft of(Namespace namespace, String type, String data) {
        return new EventDraft(List.of(namespace), type, data, false, null);
    }

    /** Throws unless {@code type} is a valid event type: {@code [A-Za-z0-9._:-]{1,64}}. */
    public static void checkType(String type) {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new GatewayException(Reason.INVALID_EVENT_TYPE, "event type must match [A-Za-z0-9._:-]{1,64}");
        }
    }

    /** Namespaces sorted by path, for stable storage order. */
    public List<Namespace> sortedNamespaces() {
        List<Namespace> sorted = new ArrayList<>(namespaces);
        Collections.sort(sorted);
        return sorted;
    }
}
