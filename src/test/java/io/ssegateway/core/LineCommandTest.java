package io.ssegateway.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LineCommandTest {

    static Stream<Arguments> publishes() {
        String sixteen = "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p";
        return Stream.of(
                arguments("/pets/cats new-cat = Persian", "/pets/cats", "new-cat", "Persian"),
                arguments("/pets/cats = Persian", "/pets/cats", "message", "Persian"),
                arguments("color/q1 = go", "/color", "q1", "go"),
                arguments("color = go", "/color", "message", "go"),
                arguments("a/b/c/d = x", "/a/b/c", "d", "x"),
                arguments("/ = to everyone", "/", "message", "to everyone"),
                arguments("/ ping = x", "/", "ping", "x"),
                arguments("/pets/ = x", "/pets", "message", "x"),
                arguments("/a=b", "/a", "message", "b"),
                arguments("/a = Persian\r", "/a", "message", "Persian"),
                arguments("/a = x=y = z", "/a", "message", "x=y = z"),
                arguments("/a = ", "/a", "message", ""),
                arguments("/a =", "/a", "message", ""),
                arguments("/a =\r", "/a", "message", ""),
                arguments(" \t/a \t ev\t=\t  two  spaces kept  ", "/a", "ev", "two  spaces kept  "),
                arguments("/a = x\ry", "/a", "message", "x\ry"),
                arguments("/a = # not a comment", "/a", "message", "# not a comment"),
                arguments("/chat = héllo 🐱 世界", "/chat", "message", "héllo 🐱 世界"),
                arguments("/a ns:v1.x_y-z = {\"k\": \"v\"}", "/a", "ns:v1.x_y-z", "{\"k\": \"v\"}"),
                arguments(sixteen + " = deep", sixteen, "message", "deep"),
                arguments(sixteen.substring(1) + "/q = deep", sixteen, "q", "deep"));
    }

    @ParameterizedTest
    @MethodSource("publishes")
    void publishLineBecomesDraft(String line, String namespace, String type, String data) {
        EventDraft draft = assertInstanceOf(LineCommand.Publish.class, LineCommand.parse(line)).draft();
        assertEquals(java.util.List.of(Namespace.parse(namespace)), draft.namespaces());
        assertEquals(type, draft.type());
        assertEquals(data, draft.data());
        assertEquals(false, draft.privateEvent());
        assertEquals(null, draft.user());
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "  status  ", "status\r", "\tstatus\t\r"})
    void statusWithSurroundingWhiteSpace(String line) {
        assertInstanceOf(LineCommand.Status.class, LineCommand.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"halt", " halt ", "halt\r", "\thalt \r"})
    void haltWithSurroundingWhiteSpace(String line) {
        assertInstanceOf(LineCommand.Halt.class, LineCommand.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t \t", "\r", "# a comment", "   # /a = not published", "#"})
    void blankLinesAndCommentsAreSkipped(String line) {
        assertInstanceOf(LineCommand.Skip.class, LineCommand.parse(line));
    }

    static Stream<Arguments> refusals() {
        String seventeen = "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q";
        return Stream.of(
                arguments("hello", Reason.INVALID_COMMAND),
                arguments("Status", Reason.INVALID_COMMAND),
                arguments("status now", Reason.INVALID_COMMAND),
                arguments("halt!", Reason.INVALID_COMMAND),
                arguments("/pets Persian", Reason.INVALID_COMMAND),
                arguments("/a b c = x", Reason.INVALID_COMMAND),
                arguments("color/q1 ev = x", Reason.INVALID_COMMAND),
                arguments("= x", Reason.INVALID_NAMESPACE),
                arguments("  \t= x", Reason.INVALID_NAMESPACE),
                arguments("/pets/.. = x", Reason.INVALID_NAMESPACE),
                arguments("../x = y", Reason.INVALID_NAMESPACE),
                arguments("./x = y", Reason.INVALID_NAMESPACE),
                arguments("/a/../b = x", Reason.INVALID_NAMESPACE),
                arguments("/a//b = x", Reason.INVALID_NAMESPACE),
                arguments("a//b = x", Reason.INVALID_NAMESPACE),
                arguments("/pets/c*t = x", Reason.INVALID_NAMESPACE),
                arguments("/pets\u00a0cats = x", Reason.INVALID_NAMESPACE),
                arguments(seventeen + " = x", Reason.INVALID_NAMESPACE),
                arguments(seventeen.substring(1) + "/r = x", Reason.INVALID_NAMESPACE),
                arguments("/" + "n".repeat(256) + " = x", Reason.INVALID_NAMESPACE),
                arguments("/pets new:cat! = x", Reason.INVALID_EVENT_TYPE),
                arguments("/pets " + "t".repeat(65) + " = x", Reason.INVALID_EVENT_TYPE),
                arguments("/pets ev\r1 = x", Reason.INVALID_EVENT_TYPE),
                arguments("color/ = x", Reason.INVALID_EVENT_TYPE),
                arguments("color/q~1 = x", Reason.INVALID_EVENT_TYPE));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void badLineIsRefusedWithItsReason(String line, Reason reason) {
        GatewayException e = assertThrows(GatewayException.class, () -> LineCommand.parse(line));
        assertEquals(reason, e.reason());
    }

    @Test
    void lineBoundLeavesRoomForTheTargetBesideAFullPayload() {
        String target = "/" + "n".repeat(255) + " " + "t".repeat(64) + " \t = ";
        int line = target.length() + 65536;
        assertEquals(true, line <= LineCommand.maxLineBytes(65536));
    }
}
