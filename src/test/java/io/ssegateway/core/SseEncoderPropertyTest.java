package io.ssegateway.core;

import io.ssegateway.testing.RandomText;
import io.ssegateway.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.ssegateway.testing.RandomText.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The encoder against a WHATWG event-stream parser, on thousands of hostile strings: whatever
 * a publisher puts in the data, a client reads back exactly one event with that data, its line
 * breaks normalised to LF; an id or type that could end its field is refused, never written.
 */
class SseEncoderPropertyTest {
    private static final long SEED = 20_261_122L;
    private static final int RUNS = 5_000;

    @Test
    void anyDataArrivesAsExactlyOneEventWithItsLineBreaksNormalised() {
        RandomText text = new RandomText(SEED);
        for (int run = 0; run < RUNS; run++) {
            String data = text.next(40);
            String id = text.random().nextBoolean() ? null : new EventId("e" + run, run, run).toString();
            String type = text.random().nextBoolean() ? EventDraft.DEFAULT_TYPE : "t." + run;
            String where = "seed=" + SEED + " run=" + run + " data=" + show(data);

            List<SseParser.Parsed> events = parse(SseEncoder.encode(id, type, data, null));

            assertEquals(1, events.size(), where);
            assertEquals(new SseParser.Parsed(id == null ? "" : id, type, RandomText.normalised(RandomText.asSent(data))),
                    events.get(0), where);
        }
    }

    @Test
    void anIdOrTypeThatCouldEndItsFieldIsRefusedAndAnyOtherRoundTrips() {
        RandomText text = new RandomText(SEED + 1);
        for (int run = 0; run < RUNS; run++) {
            String id = text.next(8);
            String type = text.next(8);
            String where = "seed=" + (SEED + 1) + " run=" + run + " id=" + show(id) + " type=" + show(type);
            byte[] frame;
            try {
                frame = SseEncoder.encode(id, type, "x", null);
            } catch (GatewayException e) {
                assertTrue(breaksAField(id) || breaksAField(type), where);
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError(where, e);
            }
            if (breaksAField(id) || breaksAField(type)) {
                fail("encoded an id or type with CR, LF or NUL: " + where);
            }
            List<SseParser.Parsed> events = parse(frame);
            assertEquals(1, events.size(), where);
            String expectedType = type.isEmpty() ? EventDraft.DEFAULT_TYPE : RandomText.asSent(type);
            assertEquals(new SseParser.Parsed(RandomText.asSent(id), expectedType, "x"), events.get(0), where);
        }
    }

    @Test
    void aStoredEventsSharedFrameParsesBackToItsDraft() {
        RandomText text = new RandomText(SEED + 2);
        for (int run = 0; run < RUNS / 5; run++) {
            String data = text.next(30);
            EventDraft draft = new EventDraft(List.of(Namespace.parse("/n" + run)), "kind-" + run % 7, data, run % 2 == 0, null);
            Event event = new Event(new EventId("ep", 1_700_000_000_000L + run, run), draft);
            String where = "seed=" + (SEED + 2) + " run=" + run + " data=" + show(data);

            List<SseParser.Parsed> events = parse(event.frame());

            assertEquals(List.of(new SseParser.Parsed(event.id().toString(), draft.type(),
                    RandomText.normalised(RandomText.asSent(data)))), events, where);
        }
    }

    private static boolean breaksAField(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0;
    }

    private static List<SseParser.Parsed> parse(byte[] frame) {
        return SseParser.parse(new String(frame, StandardCharsets.UTF_8)).events();
    }
}
