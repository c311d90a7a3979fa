package io.ssegateway.testing;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A JSON document read by the tests, through the same micronaut-serde mapper as the gateway.
 * Absent fields read as a missing node rather than null ({@link #path}), so an assertion on a
 * field that is not there fails on the assertion, with the document in its message.
 */
public final class JsonTree implements Iterable<JsonTree> {
    public static final JsonMapper MAPPER = JsonMapper.createDefault();
    private static final JsonTree MISSING = new JsonTree(null);

    private final JsonNode node;

    private JsonTree(JsonNode node) {
        this.node = node;
    }

    public static JsonTree parse(String text) {
        try {
            return new JsonTree(MAPPER.readValue(text, JsonNode.class));
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }

    /** The field, or null when it is absent. */
    public JsonTree get(String field) {
        JsonNode v = node != null && node.isObject() ? node.get(field) : null;
        return v == null ? null : new JsonTree(v);
    }

    /** The element, or null when there is none at that index. */
    public JsonTree get(int index) {
        JsonNode v = node != null && node.isArray() && index < node.size() ? node.get(index) : null;
        return v == null ? null : new JsonTree(v);
    }

    /** The field, or a missing node when it is absent. */
    public JsonTree path(String field) {
        JsonTree v = get(field);
        return v == null ? MISSING : v;
    }

    public boolean has(String field) {
        return get(field) != null;
    }

    public boolean hasNonNull(String field) {
        JsonTree v = get(field);
        return v != null && !v.isNull();
    }

    public boolean isMissing() {
        return node == null;
    }

    public boolean isNull() {
        return node != null && node.isNull();
    }

    public boolean isObject() {
        return node != null && node.isObject();
    }

    public boolean isArray() {
        return node != null && node.isArray();
    }

    public boolean isNumber() {
        return node != null && node.isNumber();
    }

    public boolean isTextual() {
        return node != null && node.isString();
    }

    public int size() {
        return node == null || !(node.isArray() || node.isObject()) ? 0 : node.size();
    }

    /** A string's value, a number or boolean as text, "null" for null; "" for the rest. */
    public String asText() {
        if (node == null || node.isArray() || node.isObject()) {
            return "";
        }
        return node.isNull() ? "null" : node.coerceStringValue();
    }

    public int asInt() {
        return node != null && node.isNumber() ? node.getIntValue() : 0;
    }

    public long asLong() {
        return node != null && node.isNumber() ? node.getLongValue() : 0;
    }

    public boolean asBoolean() {
        return node != null && node.isBoolean() && node.getBooleanValue();
    }

    /** The field names of an object, in document order. */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        if (isObject()) {
            for (Map.Entry<String, JsonNode> e : node.entries()) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    /** The first object, depth first, that has {@code field}; null when none has. */
    public JsonTree findParent(String field) {
        if (has(field)) {
            return this;
        }
        for (JsonTree child : this) {
            JsonTree found = child.findParent(field);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The elements of an array, or the values of an object, in order. */
    @Override
    public Iterator<JsonTree> iterator() {
        List<JsonTree> out = new ArrayList<>();
        if (isArray() || isObject()) {
            for (JsonNode v : node.values()) {
                out.add(new JsonTree(v));
            }
        }
        return out.iterator();
    }

    /** The value as plain Java: maps, lists, strings, numbers, booleans, null. */
    public Object value() {
        if (node == null) {
            return null;
        }
        try {
            return MAPPER.readValueFromTree(node, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same JSON value (fields in the same order). */
    @Override
    public boolean equals(Object o) {
        return o instanceof JsonTree other && toString().equals(other.toString()) && isMissing() == other.isMissing();
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** Compact JSON text; empty for a missing node. */
    @Override
    public String toString() {
        if (node == null) {
            return "";
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
