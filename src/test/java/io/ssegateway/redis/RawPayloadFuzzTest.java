package io.ssegateway.redis;

import io.ssegateway.core.Event;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.SseFieldParser;
import io.ssegateway.testing.RandomText;
import io.ssegateway.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.ssegateway.testing.RandomText.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Whatever another tool {@code PUBLISH}es into Redis, hostile field text included, becomes
 * events that carry no id of its choosing and whose frames a client reads back one event each:
 * a raw payload cannot forge an id, split itself into extra events on the wire, or end a field.
 */
class RawPayloadFuzzTest {
    private static final long SEED = 6_379L;
    private static final int RUNS = 3_000;
    private static final Namespace NS = Namespace.parse("/raw");
    private static final String[] STARTS = {"event: ", "data: ", "id: ", "retry: ", "data:", ":", ""};

    @Test
    void anyRawPayloadBecomesEventsWithoutAForeignIdEachReadBackAlone() {
        RandomText text = new RandomText(SEED);
        for (int run = 0; run < RUNS; run++) {
            String payload = STARTS[text.random().nextInt(STARTS.length)] + text.next(30);
            String where = "seed=" + SEED + " run=" + run + " payload=" + show(payload);
            List<Event> events;
            try {
                events = RawPayload.events(NS, payload);
            } catch (RuntimeException e) {
                throw new AssertionError(where, e);
            }
            if (!SseFieldParser.looksLikeFields(payload)) {
                assertEquals(1, events.size(), where);
                assertEquals(payload, events.get(0).data(), where);
            }
            for (Event e : events) {
                assertNull(e.id(), where);
                List<SseParser.Parsed> read = SseParser.parse(new String(e.frame(), StandardCharsets.UTF_8)).events();
                assertEquals(List.of(new SseParser.Parsed("", e.type(), RandomText.normalised(RandomText.asSent(e.data())))),
                        read, where);
            }
        }
    }
}
