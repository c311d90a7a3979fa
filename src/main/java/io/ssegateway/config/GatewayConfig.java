package io.ssegateway.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import java.time.Duration;
import java.util.List;

/**
 * The gateway's settings, under {@code sse.*}; each has an environment variable by Micronaut's
 * own mapping ({@code SSE_RETRY} for {@code sse.retry}, and so on). The defaults live here only:
 * the channel prefix once regressed twice because it was written in three places
 * ({@code DocumentedDefaultsTest} holds them to the README's table). A value the constraints
 * refuse stops start-up with a line that names the setting.
 *
 * @param retry the {@code retry:} sent when a stream opens, in milliseconds
 * @param keepaliveInterval idle time after which a {@code : keepalive} comment is sent
 * @param channelPrefix prefix of every Redis channel and key the gateway uses
 * @param maxPayload bytes of data one event may carry
 * @param maxConnections SSE streams this instance accepts at once; 0 is unlimited
 * @param maxConnectionAge closes a stream after this long (null: never), for platforms that cap
 *     request time; the client reconnects and resumes
 * @param drainPeriod the whole of a graceful shutdown, SIGTERM to exit: streams are closed spread over
 *     most of it, and the process has exited when it is over; 10 s as SPEC §6 gives it, and to
 *     be set under the platform's grace where that is shorter (8s on Cloud Run's 10 s, 4s on Fly)
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
 * @param maxPublishBytes history one publish request may store: each event's data once per
 *     namespace, summed over a batch (one {@code /broadcast} to 32 namespaces once stored 157 MB
 *     for an hour); more is a 413
 * @param outboundBudget bytes queued for all streams together, past which the largest backlogs
 *     are cut; 0 is a quarter of the JVM's direct memory
 * @param ioUring run the streams on Netty's io_uring transport where the kernel allows it, not
 *     epoll; false: epoll (see {@code TransportChoice})
 * @param instanceId this instance's id in status and the cluster registry; unset, a new one
 * @param exitAfterHalt end the process once a drain has stopped the application (tests that run
 *     several gateways in one JVM turn it off)
 */
@ConfigurationProperties(Settings.PREFIX)
public record GatewayConfig(
        @Bindable(defaultValue = "3000") @PositiveOrZero long retry,
        @Bindable(defaultValue = "15s") Duration keepaliveInterval,
        @Bindable(defaultValue = "sse:") @NotBlank String channelPrefix,
        @Bindable(defaultValue = "65536") @Positive int maxPayload,
        @Bindable(defaultValue = "0") @PositiveOrZero int maxConnections,
        @Nullable Duration maxConnectionAge,
        @Bindable(defaultValue = "10s") Duration drainPeriod,
        @Nullable List<String> allowedOrigins,
        // A typo ("jwt " or "JTW") must not quietly leave every stream open.
        @Bindable(defaultValue = "none") @Pattern(regexp = "(?i)none|jwt", message = "must be none or jwt") String subscribeAuth,
        @Bindable(defaultValue = "false") boolean adminPublic,
        @Bindable(defaultValue = "true") boolean demoEnabled,
        @Bindable(defaultValue = "false") boolean httpQueryPublish,
        @Bindable(defaultValue = "32") @Positive int maxTopics,
        @Bindable(defaultValue = "10000") @Positive int replayLimit,
        @Bindable(defaultValue = "10000") @Positive int holdLimit,
        @Bindable(defaultValue = "1048576") @Positive int outboundBuffer,
        @Bindable(defaultValue = "1s") Duration demoInterval,
        @Bindable(defaultValue = "500ms") Duration reconnectDelayMin,
        @Bindable(defaultValue = "3s") Duration reconnectDelayMax,
        @Bindable(defaultValue = "0.2") @DecimalMin("0") @DecimalMax("1") double maxConnectionAgeJitter,
        @Bindable(defaultValue = "10s") Duration requestHeadTimeout,
        @Bindable(defaultValue = "16777216") @Positive long maxPublishBytes,
        @Bindable(defaultValue = "0") @PositiveOrZero long outboundBudget,
        @Bindable(defaultValue = "true") boolean ioUring,
        @Nullable String instanceId,
        @Bindable(defaultValue = "true") boolean exitAfterHalt) {

    public boolean subscribeNeedsToken() {
        return "jwt".equalsIgnoreCase(subscribeAuth);
    }

    public List<String> origins() {
        return allowedOrigins == null ? List.of() : allowedOrigins;
    }
}
