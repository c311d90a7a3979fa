package io.ssegateway.redis;

import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;

import java.util.ArrayList;
import java.util.List;

/**
 * How an event is kept in a history stream: the entry id is the event's position, and the
 * fields are plain text so that {@code XRANGE} in {@code redis-cli} is readable:
 * {@code type}, {@code data}, {@code ns} (every namespace of the event, space-separated; a path
 * never holds a space), and only when set {@code private} ({@code 1}) and {@code user}.
 *
 * <p>Each stream of a multi-namespace event holds the whole event, so a replay from any of
 * them rebuilds the same event as live delivery.
 */
final class StreamEntry {
    private StreamEntry() {
    }

    /** Field names and values, alternating, as {@code XADD} takes them. */
    static List<String> fields(EventDraft draft) {
        List<String> f = new ArrayList<>(10);
        f.add("type");
        f.add(draft.type());
        f.add("data");
        f.add(draft.data());
        StringBuilder ns = new StringBuilder();
        for (Namespace n : draft.namespaces()) {
            if (ns.length() > 0) {
                ns.append(' ');
            }
            ns.append(n.path());
        }
        f.add("ns");
        f.add(ns.toString());
        if (draft.privateEvent()) {
            f.add("private");
            f.add("1");
        }
        if (draft.user() != null) {
            f.add("user");
            f.add(draft.user());
        }
        return f;
    }

    /** Rebuilds a stored event; throws a {@link GatewayException} when the entry is not one of ours. */
    static Event event(EventId id, List<?> fields) {
        String type = null;
        String data = null;
        String ns = null;
        boolean privateEvent = false;
        String user = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String value = (String) fields.get(i + 1);
            switch ((String) fields.get(i)) {
                case "type" -> type = value;
                case "data" -> data = value;
                case "ns" -> ns = value;
                case "private" -> privateEvent = "1".equals(value);
                case "user" -> user = value;
                default -> {
                    // Fields added by a later version are not needed to deliver the event.
                }
            }
        }
        if (ns == null || ns.isEmpty()) {
            throw new GatewayException(Reason.INVALID_NAMESPACE, "history entry " + id + " has no namespaces");
        }
        List<Namespace> namespaces = new ArrayList<>();
        for (String path : ns.split(" ")) {
            namespaces.add(Namespace.parse(path));
        }
        return new Event(id, new EventDraft(namespaces, type, data, privateEvent, user));
    }
}
