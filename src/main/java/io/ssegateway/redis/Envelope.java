package io.ssegateway.redis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.Namespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The form in which the gateway publishes a stored event on a channel:
 * ASCII RS (0x1E), then {@code {"v":1,"id":…,"event":…,"ns":[…],"data":…,"private":…,"user":…}}.
 *
 * <p>The leading RS tells an envelope apart from raw payloads that other tools publish on the
 * same channels: a text message or SSE field text never starts with a control character.
 *
 * <p>The id is given out inside the publish script, so the envelope is encoded here around a
 * hole for it ({@link Parts}) and the script joins head, id and tail.
 */
final class Envelope {
    static final char MARK = '\u001e';
    static final int VERSION = 1;

    private static final String HEAD = MARK + "{\"v\":" + VERSION + ",\"id\":\"";

    private final JsonMapper json;

    Envelope(JsonMapper json) {
        this.json = json;
    }

    /** An envelope without its id: {@code head + id + tail} is the whole. */
    record Parts(String head, String tail) {
        String with(EventId id) {
            return head + id + tail;
        }
    }

    /**
     * What follows the id. Every key is written, {@code "user":null} included: instances of an
     * older release read the envelope too, and the README documents this form.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Body(String event, List<String> ns, String data,
                @JsonProperty("private") boolean privateEvent, @Nullable String user) {
    }

    Parts encode(EventDraft draft) {
        Body body = new Body(draft.type(), draft.namespaces().stream().map(Namespace::path).toList(),
                draft.data(), draft.privateEvent(), draft.user());
        String encoded;
        try {
            encoded = json.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("a record of strings always encodes", e);
        }
        // The id is [a-z0-9-] only (EventId), so it needs no escaping between the quotes.
        return new Parts(HEAD, "\"," + encoded.substring(1));
    }

    static boolean isEnvelope(String payload) {
        return !payload.isEmpty() && payload.charAt(0) == MARK;
    }

    /**
     * Reads an envelope back into the event it carries. Throws {@link IllegalArgumentException}
     * (or the validation error of the event) when it is not a valid envelope of this version.
     */
    Event decode(String payload) {
        if (!isEnvelope(payload)) {
            throw new IllegalArgumentException("not an envelope");
        }
        // Read as a tree and checked field by field, not bound to a record: serde binds a number
        // to a String field as its text, and a channel carries what any Redis client publishes.
        JsonNode root;
        try {
            root = json.readValue(payload.substring(1).getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("envelope is not JSON");
        }
        JsonNode v = root == null || !root.isObject() ? null : root.get("v");
        if (v == null || !v.isNumber() || v.getIntValue() != VERSION) {
            throw new IllegalArgumentException("envelope version is not " + VERSION);
        }
        EventId id = EventId.parseOrNull(optionalText(root, "id"));
        if (id == null) {
            throw new IllegalArgumentException("envelope has no valid id");
        }
        JsonNode ns = root.get("ns");
        if (ns == null || !ns.isArray()) {
            throw new IllegalArgumentException("envelope has no namespaces");
        }
        List<Namespace> namespaces = new ArrayList<>(ns.size());
        for (JsonNode n : ns.values()) {
            namespaces.add(Namespace.parse(n.isString() ? n.getStringValue() : null));
        }
        JsonNode privateEvent = root.get("private");
        EventDraft draft = new EventDraft(namespaces, text(root, "event"), text(root, "data"),
                privateEvent != null && privateEvent.isBoolean() && privateEvent.getBooleanValue(),
                optionalText(root, "user"));
        return new Event(id, draft);
    }

    private static String text(JsonNode root, String field) {
        String value = optionalText(root, field);
        if (value == null) {
            throw new IllegalArgumentException("envelope field " + field + " is not a string");
        }
        return value;
    }

    @Nullable
    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isString() ? node.getStringValue() : null;
    }
}
