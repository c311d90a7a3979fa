package io.ssegateway.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.Namespace;

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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEAD = MARK + "{\"v\":" + VERSION + ",\"id\":\"";

    /** An envelope without its id: {@code head + id + tail} is the whole. */
    record Parts(String head, String tail) {
        String with(EventId id) {
            return head + id + tail;
        }
    }

    private Envelope() {
    }

    static Parts encode(EventDraft draft) {
        ObjectNode body = JSON.createObjectNode();
        body.put("event", draft.type());
        ArrayNode ns = body.putArray("ns");
        for (Namespace n : draft.namespaces()) {
            ns.add(n.path());
        }
        body.put("data", draft.data());
        body.put("private", draft.privateEvent());
        body.put("user", draft.user());
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings always encodes", e);
        }
        // The id is [a-z0-9-] only (EventId), so it needs no escaping between the quotes.
        return new Parts(HEAD, "\"," + json.substring(1));
    }

    static boolean isEnvelope(String payload) {
        return !payload.isEmpty() && payload.charAt(0) == MARK;
    }

    /**
     * Reads an envelope back into the event it carries. Throws {@link IllegalArgumentException}
     * (or the validation error of the event) when it is not a valid envelope of this version.
     */
    static Event decode(String payload) {
        if (!isEnvelope(payload)) {
            throw new IllegalArgumentException("not an envelope");
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload.substring(1));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("envelope is not JSON");
        }
        if (root == null || !root.isObject() || root.path("v").asInt() != VERSION) {
            throw new IllegalArgumentException("envelope version is not " + VERSION);
        }
        EventId id = EventId.parseOrNull(text(root, "id"));
        if (id == null) {
            throw new IllegalArgumentException("envelope has no valid id");
        }
        JsonNode ns = root.path("ns");
        if (!ns.isArray()) {
            throw new IllegalArgumentException("envelope has no namespaces");
        }
        List<Namespace> namespaces = new ArrayList<>(ns.size());
        for (JsonNode n : ns) {
            namespaces.add(Namespace.parse(n.isTextual() ? n.asText() : null));
        }
        JsonNode user = root.path("user");
        EventDraft draft = new EventDraft(namespaces, text(root, "event"), text(root, "data"),
                root.path("private").asBoolean(false), user.isTextual() ? user.asText() : null);
        return new Event(id, draft);
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.path(field);
        if (!node.isTextual()) {
            throw new IllegalArgumentException("envelope field " + field + " is not a string");
        }
        return node.asText();
    }
}
