package io.ssegateway.demo;

import io.micronaut.context.annotation.Requires;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.Settings;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import io.ssegateway.core.SseEncoder;
import io.ssegateway.egress.SseRequest;
import io.ssegateway.egress.SseRoute;
import io.ssegateway.egress.StreamKind;
import io.ssegateway.egress.SseStream;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /stream}: the demonstration stream of mpetazzoni's sse-server, for testing SSE
 * clients. It opens with {@code id: hello} / {@code data: Hello, <ip:port>!}, then sends
 * {@code id: message-N} with a small JSON object over several {@code data:} lines, one per
 * interval. The random string depends only on N, so every connection sees the same one for the
 * same N. {@code Last-Event-ID: message-N} resumes at N; {@code count} ends the stream after
 * that many messages.
 */
@Singleton
@Requires(property = Settings.DEMO_ENABLED, notEquals = "false")
public class DemoStreamRoute implements SseRoute {
    static final String PATH = "/stream";
    private static final String ID_PREFIX = "message-";
    private static final int RANDOM_LENGTH = 16;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final Duration interval;

    public DemoStreamRoute(GatewayConfig config) {
        this.interval = config.demoInterval();
    }

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public StreamKind kind() {
        return StreamKind.BUILT_IN;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PATH);
    }

    @Override
    public Opening prepare(SseRequest request) {
        long first = startAt(request.header("Last-Event-ID"));
        long count = count(request.param("count"));
        return stream -> {
            AtomicLong next = new AtomicLong(first);
            stream.describe(List.of(), () -> ID_PREFIX + Math.max(1, next.get() - 1));
            stream.sendFrame(SseEncoder.encode("hello", null, "Hello, " + request.remote() + "!", null));
            stream.flush();
            long last = count > Long.MAX_VALUE - first ? Long.MAX_VALUE : first + count - 1;
            if (count == 0) {
                stream.close("count reached");
                return;
            }
            stream.every(interval, interval, () -> {
                long n = next.getAndIncrement();
                stream.sendFrame(message(n, System.currentTimeMillis() / 1000));
                stream.flush();
                if (n >= last) {
                    stream.close("count reached");
                }
            });
        };
    }

    /** The frame for message N at the given time. */
    static byte[] message(long n, long unixSeconds) {
        String data = "{\n  \"time\": " + unixSeconds + ",\n  \"random\": \"" + random(n) + "\"\n}";
        return SseEncoder.encode(ID_PREFIX + n, null, data, null);
    }

    /** Sixteen letters that depend only on N. */
    static String random(long n) {
        SplittableRandom random = new SplittableRandom(n * 31 + 0x5DEECE66DL);
        StringBuilder s = new StringBuilder(RANDOM_LENGTH);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    private static long startAt(String lastEventId) {
        if (lastEventId != null && lastEventId.startsWith(ID_PREFIX)) {
            try {
                long n = Long.parseLong(lastEventId.substring(ID_PREFIX.length()));
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // An id that is not ours starts the sequence from the beginning, as sse-server does.
            }
        }
        return 1;
    }

    private static long count(String param) {
        if (param == null) {
            return Long.MAX_VALUE;
        }
        try {
            long n = Long.parseLong(param);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new GatewayException(Reason.INVALID_BODY, "count must be a non-negative whole number");
    }
}
