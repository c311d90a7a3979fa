package io.ssegateway.core;

import java.util.Arrays;

/**
 * One line of the control port or the FIFO, parsed. Both inputs share this grammar:
 *
 * <pre>
 * /pets/cats new-cat = Persian   namespace /pets/cats, event new-cat
 * /pets/cats = Persian           namespace /pets/cats, event message
 * color/q1 = go                  SSE-Server form: no leading slash; with two or more segments
 *                                the last is the event type: namespace /color, event q1
 * color = go                     one segment: namespace /color, event message
 * status                         this instance's status
 * halt                           graceful shutdown of this instance
 * </pre>
 *
 * <p>Spaces and tabs around the target and around {@code =} are ignored. The data is the rest of
 * the line after the first {@code =}, less the white space right after it; everything else is
 * kept as written, further {@code =} and trailing spaces included, and may be empty. One
 * trailing CR is dropped, for clients that end lines with CRLF (telnet, some {@code nc}). A line
 * that is blank or whose first visible character is {@code #} is {@link Skip}ped.
 *
 * <p>A namespace without a leading slash takes its event type from its last segment, so it
 * cannot also name a type: {@code color/q1 ev = x} is refused rather than guessed at.
 */
public sealed interface LineCommand permits LineCommand.Publish, LineCommand.Status, LineCommand.Halt, LineCommand.Skip {

    /**
     * Room on a line for everything but the data: a namespace of at most 256 characters, an
     * event type of at most 64, the {@code =} and generous white space. A line is bounded by the
     * payload limit plus this, so a too-long line is refused before it is held in memory whole.
     */
    int TARGET_ALLOWANCE_BYTES = 1024;

    /** Publish an event. */
    record Publish(EventDraft draft) implements LineCommand {
    }

    /** Report this instance's status. */
    record Status() implements LineCommand {
    }

    /** Drain and stop this instance. */
    record Halt() implements LineCommand {
    }

    /** A blank line or a comment: nothing to do and nothing to answer. */
    record Skip() implements LineCommand {
    }

    /** The longest line, in UTF-8 bytes without its terminator, that can carry a valid event. */
    static int maxLineBytes(int maxPayloadBytes) {
        return maxPayloadBytes + TARGET_ALLOWANCE_BYTES;
    }

    /**
     * Parses one line, without its LF. Throws a {@link GatewayException} with
     * {@link Reason#INVALID_COMMAND}, {@link Reason#INVALID_NAMESPACE} or
     * {@link Reason#INVALID_EVENT_TYPE} when the line is not valid; the payload size is checked
     * later, by the {@link Publisher}.
     */
    static LineCommand parse(String line) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        int start = skipBlanks(line, 0, end);
        if (start == end || line.charAt(start) == '#') {
            return new Skip();
        }
        int eq = line.indexOf('=', start);
        if (eq < 0) {
            String word = line.substring(start, trimEnd(line, start, end));
            if (word.equals("status")) {
                return new Status();
            }
            if (word.equals("halt")) {
                return new Halt();
            }
            throw new GatewayException(Reason.INVALID_COMMAND,
                    "expected '<namespace> [event] = <data>', 'status' or 'halt'");
        }
        String target = line.substring(start, trimEnd(line, start, eq));
        String data = line.substring(skipBlanks(line, eq + 1, end), end);
        return new Publish(draft(target, data));
    }

    private static EventDraft draft(String target, String data) {
        if (target.isEmpty()) {
            throw new GatewayException(Reason.INVALID_NAMESPACE, "namespace is missing before '='");
        }
        String[] words = target.split("[ \t]+");
        if (words.length > 2) {
            throw new GatewayException(Reason.INVALID_COMMAND,
                    "expected at most a namespace and an event type before '='");
        }
        String path = words[0];
        if (path.charAt(0) == '/') {
            Namespace namespace = Namespace.parse(path);
            return EventDraft.of(namespace, words.length == 2 ? words[1] : EventDraft.DEFAULT_TYPE, data);
        }
        if (words.length == 2) {
            throw new GatewayException(Reason.INVALID_COMMAND,
                    "a namespace without a leading '/' takes its event type from its last segment;"
                            + " write '/<namespace> <event> = <data>' to name both");
        }
        String[] segments = path.split("/", -1);
        if (segments.length == 1) {
            return EventDraft.of(Namespace.fromSegments(segments), EventDraft.DEFAULT_TYPE, data);
        }
        String type = segments[segments.length - 1];
        return EventDraft.of(Namespace.fromSegments(Arrays.copyOf(segments, segments.length - 1)), type, data);
    }

    private static int skipBlanks(String s, int from, int end) {
        int i = from;
        while (i < end && isBlank(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int trimEnd(String s, int from, int end) {
        int i = end;
        while (i > from && isBlank(s.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
