package io.ssegateway.core;

import io.ssegateway.testing.RandomText;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

import static io.ssegateway.testing.RandomText.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of hostile strings at the validating constructors of the core: each input is
 * either refused with a {@link GatewayException} that carries a reason, or becomes a value that
 * keeps every promise its class makes. No other exception may escape.
 */
class CoreInputFuzzTest {
    private static final long SEED = 7_070_707L;
    private static final int RUNS = 10_000;
    private static final Pattern CANONICAL_NAMESPACE = Pattern.compile("/|(/[A-Za-z0-9._~@:-]+){1,16}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Test
    void namespaceIsRefusedWithAReasonOrIsCanonicalAndWithinItsBounds() {
        RandomText text = new RandomText(SEED);
        for (int run = 0; run < RUNS; run++) {
            String input = text.random().nextBoolean() ? "/" + text.next(12) : text.nextOr(12, "/", "/a/b", "/a/./b", "/a//b", "/a/");
            String where = "seed=" + SEED + " run=" + run + " input=" + show(input);
            Namespace n;
            try {
                n = Namespace.parse(input);
            } catch (GatewayException e) {
                assertEquals(Reason.INVALID_NAMESPACE, e.reason(), where);
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError(where, e);
            }
            assertTrue(CANONICAL_NAMESPACE.matcher(n.path()).matches(), where);
            assertTrue(n.path().length() <= Namespace.MAX_LENGTH, where);
            assertTrue(n.segments().stream().noneMatch(s -> s.equals(".") || s.equals("..")), where);
            assertEquals(n, Namespace.parse(n.path()), where);
        }
    }

    @Test
    void eventDraftIsRefusedWithAReasonOrHoldsNothingThatCouldEndAnSseField() {
        RandomText text = new RandomText(SEED + 1);
        for (int run = 0; run < RUNS; run++) {
            String type = text.random().nextInt(4) == 0 ? null : text.nextOr(6, "message", "new-cat", "a:b.c_d-e");
            String user = text.random().nextInt(3) == 0 ? null : text.nextOr(6, "u-42", "alice");
            String data = text.next(20);
            List<Namespace> namespaces = new ArrayList<>();
            int count = 1 + text.random().nextInt(40);
            for (int i = 0; i < count; i++) {
                namespaces.add(Namespace.parse("/n" + text.random().nextInt(50)));
            }
            String where = "seed=" + (SEED + 1) + " run=" + run + " type=" + show(type) + " user=" + show(user);
            EventDraft draft;
            try {
                draft = new EventDraft(namespaces, type, data, text.random().nextBoolean(), user);
            } catch (GatewayException e) {
                assertNotNull(e.reason(), where);
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError(where, e);
            }
            assertTrue(EVENT_TYPE.matcher(draft.type()).matches(), where);
            assertTrue(draft.user() == null || draft.user().chars().noneMatch(c -> c == '\r' || c == '\n' || c == 0), where);
            assertTrue(draft.namespaces().size() <= EventDraft.MAX_NAMESPACES, where);
            assertEquals(draft.namespaces().size(), new HashSet<>(draft.namespaces()).size(), where);
            assertEquals(data, draft.data(), where);
        }
    }

    @Test
    void eventIdParserNeverThrowsAndWhatItAcceptsPrintsBackToItself() {
        RandomText text = new RandomText(SEED + 2);
        for (int run = 0; run < RUNS; run++) {
            String input = switch (text.random().nextInt(4)) {
                case 0 -> text.next(10);
                case 1 -> "e" + run + "-" + text.random().nextLong() + "-" + text.random().nextInt();
                case 2 -> mutate(text, new EventId("k3v9q2", 1_732_233_600_123L, run).toString());
                default -> "abc-" + "9".repeat(text.random().nextInt(25)) + "-" + text.next(3);
            };
            String where = "seed=" + (SEED + 2) + " run=" + run + " input=" + show(input);
            EventId id;
            try {
                id = EventId.parseOrNull(input);
            } catch (RuntimeException e) {
                throw new AssertionError(where, e);
            }
            if (id != null) {
                assertEquals(id, EventId.parseOrNull(id.toString()), where);
                assertTrue(id.millis() >= 0 && id.seq() >= 0, where);
            }
        }
    }

    @Test
    void controlLineIsACommandOrARefusalWithAReasonAndNeverAForgedField() {
        RandomText text = new RandomText(SEED + 3);
        for (int run = 0; run < RUNS; run++) {
            String line = switch (text.random().nextInt(4)) {
                case 0 -> "/" + text.next(4) + " " + text.next(3) + " = " + text.next(10);
                case 1 -> text.next(4) + "/" + text.next(2) + " = " + text.next(10);
                case 2 -> text.nextOr(6, "status", "halt", "# note", "/pets = x", "pets/cats = y");
                default -> text.next(16);
            };
            // The readers split on LF before a line is parsed.
            line = line.replace("\n", "");
            String where = "seed=" + (SEED + 3) + " run=" + run + " line=" + show(line);
            LineCommand command;
            try {
                command = LineCommand.parse(line);
            } catch (GatewayException e) {
                assertTrue(e.reason() == Reason.INVALID_COMMAND || e.reason() == Reason.INVALID_NAMESPACE
                        || e.reason() == Reason.INVALID_EVENT_TYPE, where + " " + e.reason());
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError(where, e);
            }
            if (command instanceof LineCommand.Publish publish) {
                assertTrue(EVENT_TYPE.matcher(publish.draft().type()).matches(), where);
                assertTrue(line.contains(publish.draft().data()), where);
            }
        }
    }

    /** One character replaced, inserted or removed. */
    private static String mutate(RandomText text, String s) {
        int at = text.random().nextInt(s.length());
        String c = text.next(1);
        return switch (text.random().nextInt(3)) {
            case 0 -> s.substring(0, at) + c + s.substring(at + 1);
            case 1 -> s.substring(0, at) + c + s.substring(at);
            default -> s.substring(0, at) + s.substring(at + 1);
        };
    }
}
