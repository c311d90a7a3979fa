package io.ssegateway.ingress;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON of {@code POST /broadcast} into event drafts:
 * {@code {"namespace": "/pets/cats" | "namespaces": [...], "event": "new-cat",
 * "data": "Persian" or any JSON value, "private": false, "user": "u-42"}}, with the field names of
 * the original goSSE tool accepted as aliases ({@code content} for data, {@code type} for
 * event), or an array of such objects for a batch. Every problem is a 400 that names the field.
 */
final class BroadcastRequest {
    /** A batch is published in order within one request; more belongs in several requests. */
    static final int MAX_BATCH = 1000;

    private BroadcastRequest() {
    }

    static List<EventDraft> parseBatch(JsonNode root, JsonMapper json) {
        if (!root.isArray()) {
            throw bad("a batch is a JSON array of events");
        }
        if (root.size() == 0) {
            throw bad("the batch is empty");
        }
        if (root.size() > MAX_BATCH) {
            throw bad("a batch holds at most " + MAX_BATCH + " events");
        }
        List<EventDraft> drafts = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            try {
                drafts.add(parseOne(root.get(i), json));
            } catch (GatewayException e) {
                throw new GatewayException(e.reason(), "event " + i + ": " + e.getMessage());
            }
        }
        return drafts;
    }

    static EventDraft parseOne(JsonNode node, JsonMapper json) {
        if (node == null || !node.isObject()) {
            throw bad("an event is a JSON object");
        }
        List<Namespace> namespaces = namespaces(node);
        String type = text(node, "event", "type");
        JsonNode data = first(node, "data", "content");
        if (data == null || data.isNull()) {
            throw new GatewayException(Reason.INVALID_DATA, "data (or content) is required");
        }
        String payload = data.isString() ? data.getStringValue() : compact(data, json);
        boolean privateEvent = false;
        JsonNode p = node.get("private");
        if (p != null && !p.isNull()) {
            if (!p.isBoolean()) {
                throw bad("private must be true or false");
            }
            privateEvent = p.getBooleanValue();
        }
        String user = text(node, "user");
        return new EventDraft(namespaces, type, payload, privateEvent, user);
    }

    private static List<Namespace> namespaces(JsonNode node) {
        JsonNode one = node.get("namespace");
        JsonNode many = node.get("namespaces");
        if (one != null && !one.isNull() && many != null && !many.isNull()) {
            throw new GatewayException(Reason.INVALID_NAMESPACE, "give namespace or namespaces, not both");
        }
        if (many != null && !many.isNull()) {
            if (!many.isArray() || many.size() == 0) {
                throw new GatewayException(Reason.INVALID_NAMESPACE, "namespaces must be a non-empty array of paths");
            }
            List<Namespace> out = new ArrayList<>();
            for (JsonNode n : many.values()) {
                if (!n.isString()) {
                    throw new GatewayException(Reason.INVALID_NAMESPACE, "namespaces must be strings");
                }
                out.add(Namespace.parse(n.getStringValue()));
            }
            return out;
        }
        if (one != null && !one.isNull()) {
            if (!one.isString()) {
                throw new GatewayException(Reason.INVALID_NAMESPACE, "namespace must be a string");
            }
            return List.of(Namespace.parse(one.getStringValue()));
        }
        return List.of(Namespace.ROOT);
    }

    /** The first of the given fields that is present, as text; 400 when it is not a string. */
    private static String text(JsonNode node, String... names) {
        JsonNode value = first(node, names);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw bad(names[0] + " must be a string");
        }
        return value.getStringValue();
    }

    private static JsonNode first(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** A JSON value other than a string is the event's data as compact JSON text. */
    private static String compact(JsonNode data, JsonMapper json) {
        try {
            return json.writeValueAsString(data);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed JSON tree always encodes", e);
        }
    }

    private static GatewayException bad(String message) {
        return new GatewayException(Reason.INVALID_BODY, message);
    }
}
