package io.ssegateway.ingress;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.GatewayException;
import io.ssegateway.testing.JsonTree;
import io.ssegateway.testing.RandomText;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random JSON shapes at the {@code /broadcast} reader: known and unknown fields, every JSON
 * type in every place, nested arrays and objects, hostile strings. Each body is either read into
 * drafts that keep the event rules, or refused with a 400 reason; nothing else escapes.
 */
class BroadcastRequestFuzzTest {
    private static final long SEED = 4_242_424L;
    private static final int RUNS = 5_000;
    private static final String[] FIELDS = {"namespace", "namespaces", "event", "type", "data", "content", "private", "user", "extra"};
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final JsonMapper JSON = JsonTree.MAPPER;

    @Test
    void anyJsonShapeBecomesValidDraftsOrA400WithAReason() throws IOException {
        RandomText text = new RandomText(SEED);
        int accepted = 0;
        for (int run = 0; run < RUNS; run++) {
            JsonNode body = body(text);
            String where = "seed=" + SEED + " run=" + run + " body=" + RandomText.show(JSON.writeValueAsString(body));
            List<EventDraft> drafts;
            try {
                drafts = body.isArray() ? BroadcastRequest.parseBatch(body, JSON) : List.of(BroadcastRequest.parseOne(body, JSON));
            } catch (GatewayException e) {
                assertEquals(400, e.reason().httpStatus(), where);
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError(where, e);
            }
            accepted++;
            for (EventDraft d : drafts) {
                assertTrue(EVENT_TYPE.matcher(d.type()).matches(), where);
                assertTrue(d.user() == null || d.user().chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0), where);
            }
            if (!body.isArray() && body.get("data") != null && body.get("data").isString()) {
                assertEquals(body.get("data").getStringValue(), drafts.get(0).data(), where);
            }
        }
        assertTrue(accepted > RUNS / 20, "the generator must also make valid events; accepted " + accepted);
    }

    private static JsonNode body(RandomText text) {
        int kind = text.random().nextInt(10);
        if (kind < 7) {
            return event(text);
        }
        if (kind < 9) {
            List<JsonNode> batch = new ArrayList<>();
            int n = text.random().nextInt(5);
            for (int i = 0; i < n; i++) {
                batch.add(text.random().nextInt(6) == 0 ? value(text, 2) : event(text));
            }
            return JsonNode.createArrayNode(batch);
        }
        return value(text, 3);
    }

    /** An object that is often a valid event, with some fields missing, wrong or extra. */
    private static JsonNode event(RandomText text) {
        Map<String, JsonNode> o = new LinkedHashMap<>();
        if (text.random().nextInt(4) > 0) {
            o.put("data", JsonNode.createStringNode(text.next(10)));
        }
        if (text.random().nextBoolean()) {
            o.put("namespace", JsonNode.createStringNode(text.nextOr(6, "/pets", "/pets/cats", "/", "pets")));
        }
        if (text.random().nextBoolean()) {
            o.put("event", JsonNode.createStringNode(text.nextOr(6, "new-cat", "message", "a.b:c")));
        }
        int extra = text.random().nextInt(4);
        for (int i = 0; i < extra; i++) {
            o.put(FIELDS[text.random().nextInt(FIELDS.length)], value(text, 2));
        }
        return JsonNode.createObjectNode(o);
    }

    private static JsonNode value(RandomText text, int depth) {
        int kind = text.random().nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> JsonNode.nullNode();
            case 1 -> JsonNode.createBooleanNode(text.random().nextBoolean());
            case 2 -> JsonNode.createNumberNode(text.random().nextLong());
            case 3 -> JsonNode.createNumberNode(text.random().nextDouble());
            case 4, 5 -> JsonNode.createStringNode(text.nextOr(8, "/pets", "u-42", "true"));
            case 6 -> {
                List<JsonNode> a = new ArrayList<>();
                int n = text.random().nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(value(text, depth - 1));
                }
                yield JsonNode.createArrayNode(a);
            }
            default -> {
                Map<String, JsonNode> o = new LinkedHashMap<>();
                int n = text.random().nextInt(4);
                for (int i = 0; i < n; i++) {
                    o.put(text.random().nextBoolean() ? FIELDS[text.random().nextInt(FIELDS.length)] : text.next(3),
                            value(text, depth - 1));
                }
                yield JsonNode.createObjectNode(o);
            }
        };
    }
}
