package io.ssegateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.List;

/**
 * The gateway's settings, under {@code sse.*} in {@code application.yml}; each has an
 * environment variable ({@code SSE_RETRY} for {@code sse.retry}, and so on).
 *
 * @param retry the {@code retry:} sent when a stream opens, in milliseconds
 * @param keepaliveInterval idle time after which a {@code : keepalive} comment is sent
 * @param channelPrefix prefix of every Redis channel and key the gateway uses
 * @param maxPayload bytes of data one event may carry
 * @param maxConnections SSE streams this instance accepts at once; 0 is unlimited
 * @param maxConnectionAge closes a stream after this long (null: never), for platforms that cap
 *     request time; the client reconnects and resumes
 * @param drainPeriod the whole of a graceful shutdown, SIGTERM to exit: streams are closed spread over
 *     most of it, and the process has exited when it is over; less than the platform's grace
 * @param allowedOrigins CORS origins allowed to use the API and streams
 * @param subscribeAuth {@code none} or {@code jwt}
 * @param adminPublic serve {@code /status} and {@code /admin} without a token
 * @param demoEnabled serve {@code /stream}, {@code /api/time} and {@code /api/client-count}
 * @param httpQueryPublish allow the SSE-Server style {@code GET /publish/...?TYPE=DATA}
 * @param maxTopics namespaces one subscription may name (path plus {@code topic} parameters)
 * @param replayLimit the most events one resume replays
 * @param holdLimit the most live events held for one client while its replay is read
 * @param outboundBuffer bytes queued for one client before it counts as slow and is cut
 * @param demoInterval the period of the demo streams
 * @param reconnectDelayMin the shortest {@code retry:} sent when the server refuses a stream for now
 *     or ends one (drain, maximum age, token expiry)
 * @param reconnectDelayMax the longest such {@code retry:}; each client gets a random delay in between
 * @param maxConnectionAgeJitter the fraction of {@code maxConnectionAge} by which a stream's age is
 *     shortened at random (0 to 1), so that streams opened together do not all end together
 * @param requestHeadTimeout how long a request head (request line and headers) may take to arrive,
 *     from the connection's opening or the first byte of a request; 0 or less turns it off
 */
@ConfigurationProperties("sse")
public record GatewayConfig(
        @Bindable(defaultValue = "3000") long retry,
        @Bindable(defaultValue = "15s") Duration keepaliveInterval,
        @Bindable(defaultValue = "sse:") String channelPrefix,
        @Bindable(defaultValue = "65536") int maxPayload,
        @Bindable(defaultValue = "0") int maxConnections,
        @Nullable Duration maxConnectionAge,
        @Bindable(defaultValue = "8s") Duration drainPeriod,
        @Nullable List<String> allowedOrigins,
        @Bindable(defaultValue = "none") String subscribeAuth,
        @Bindable(defaultValue = "false") boolean adminPublic,
        @Bindable(defaultValue = "true") boolean demoEnabled,
        @Bindable(defaultValue = "false") boolean httpQueryPublish,
        @Bindable(defaultValue = "32") int maxTopics,
        @Bindable(defaultValue = "10000") int replayLimit,
        @Bindable(defaultValue = "10000") int holdLimit,
        @Bindable(defaultValue = "1048576") int outboundBuffer,
        @Bindable(defaultValue = "1s") Duration demoInterval,
        @Bindable(defaultValue = "500ms") Duration reconnectDelayMin,
        @Bindable(defaultValue = "3s") Duration reconnectDelayMax,
        @Bindable(defaultValue = "0.2") double maxConnectionAgeJitter,
        @Bindable(defaultValue = "10s") Duration requestHeadTimeout) {

    public boolean subscribeNeedsToken() {
        return "jwt".equalsIgnoreCase(subscribeAuth);
    }

    public List<String> origins() {
        return allowedOrigins == null ? List.of() : allowedOrigins;
    }
}
