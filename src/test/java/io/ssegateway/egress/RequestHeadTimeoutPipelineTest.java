package io.ssegateway.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RequestHeadTimeout} behind the HTTP codec, on an embedded channel with a clock of its own. */
class RequestHeadTimeoutPipelineTest {
    private static final long TIMEOUT_SECONDS = 10;
    private static final String REQUEST = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new HttpServerCodec(), new RequestHeadTimeout(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS)));
        return channel;
    }

    private static void send(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
    }

    private static void after(EmbeddedChannel channel, long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    private static String written(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            out.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return out.toString();
    }

    /** Reads the decoded request and answers it in full, as a route would. */
    private static void answer(EmbeddedChannel channel) {
        Object request = channel.readInbound();
        assertInstanceOf(HttpRequest.class, request);
        ReferenceCountUtil.release(request);
        Object last = channel.readInbound();
        assertInstanceOf(LastHttpContent.class, last);
        ReferenceCountUtil.release(last);
        DefaultFullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        ok.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        channel.writeOutbound(ok);
        assertTrue(written(channel).startsWith("HTTP/1.1 200 OK\r\n"));
    }

    @Test
    void aHeadStillIncompleteAtTheTimeoutIsAnswered408AndTheConnectionClosed() {
        EmbeddedChannel channel = channel();
        send(channel, "GET /health HTTP/1.1\r\nHo");
        after(channel, TIMEOUT_SECONDS - 1);
        assertTrue(channel.isOpen());
        send(channel, "st: x\r\n");
        after(channel, 1);
        String answer = written(channel);
        assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
        assertTrue(answer.contains("\r\nconnection: close\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\n{\"error\":\"REQUEST_TIMEOUT\",\"message\":\"the request head did not arrive in time\"}"), answer);
        assertFalse(channel.isOpen());
        assertNull(channel.readInbound(), "nothing reached the routes");
    }

    @Test
    void anIdleKeptAliveConnectionIsNotTimedButTheNextRequestsFirstByteStartsTheClock() {
        EmbeddedChannel channel = channel();
        send(channel, REQUEST);
        answer(channel);
        after(channel, TIMEOUT_SECONDS * 6);
        assertTrue(channel.isOpen(), "idle between requests: the idle timeout's business");
        assertEquals("", written(channel));

        send(channel, "G");
        after(channel, TIMEOUT_SECONDS);
        assertTrue(written(channel).startsWith("HTTP/1.1 408 "));
        assertFalse(channel.isOpen());
    }

    @Test
    void aSlowResponseIsNotTimedAndARequestOnAKeptAliveConnectionIsUnaffected() {
        EmbeddedChannel channel = channel();
        send(channel, REQUEST);
        after(channel, TIMEOUT_SECONDS * 2);
        assertTrue(channel.isOpen(), "the head arrived: a slow route is not a slow head");
        answer(channel);
        send(channel, REQUEST);
        after(channel, TIMEOUT_SECONDS * 2);
        answer(channel);
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    @Test
    void aTrickleBehindAResponseStillBeingWrittenClosesWithoutA408InsideIt() {
        EmbeddedChannel channel = channel();
        send(channel, REQUEST);
        ReferenceCountUtil.release(channel.readInbound());
        ReferenceCountUtil.release(channel.readInbound());
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        written(channel);
        send(channel, "GET /next HTTP/1.1\r\n");
        after(channel, TIMEOUT_SECONDS);
        assertEquals("", written(channel));
        assertFalse(channel.isOpen());
    }
}
