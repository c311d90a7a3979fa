package io.ssegateway.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.core.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a broker's connections on the master Sentinel names. Lettuce asks a sentinel where the
 * master is only when it reconnects, and believes the first sentinel that answers. Two ways that
 * leaves a connection on the wrong server, each handled here:
 * <ul>
 *   <li>Still open to the old master after a graceful failover, until Sentinel demotes it
 *       seconds later: every write made there meanwhile is lost. When the sentinels announce a
 *       switch ({@link SentinelWatch}), every open connection whose server is not the new master
 *       is sent {@code QUIT}: Redis answers what it was sent before, closes it, and Lettuce
 *       reconnects at its shortest delay, through Sentinel.</li>
 *   <li>Reconnected to a replica, because the sentinel asked first had not yet learned of the
 *       failover (it was down during it, say): every write answers {@code READONLY}, for good.
 *       So after every connect a command connection asks {@code ROLE}, and one on a replica
 *       quits and tries again. Until the role is confirmed the broker is not ready, so that a
 *       ready instance never refuses a publish as {@code READONLY}.</li>
 * </ul>
 * A connection whose server is not known (it connected before it was followed) counts as
 * elsewhere: one needless reconnect costs less than writes lost. Idempotent, since every
 * sentinel announces the same switch; never blocks.
 */
@Internal
final class MasterFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MasterFollower.class);
    /** A command sent from the connected callback itself may meet a connection not yet activated. */
    private static final Duration ROLE_CHECK_DELAY = Duration.ofMillis(100);
    /** How soon a role check that failed (a timeout) is asked again on a connection still up. */
    private static final Duration ROLE_RETRY = Duration.ofSeconds(1);
    /** The follower of a Redis without Sentinel: Lettuce's own reconnects are all there is. */
    static final MasterFollower NONE = new MasterFollower(null);

    /**
     * A connection, the server it is connected to now, whether a {@code QUIT} is on its way, and
     * for a command connection whether that server confirmed it is the master.
     */
    private record Followed(String name, StatefulRedisConnection<?, ?> connection, AtomicReference<SocketAddress> server,
                            AtomicBoolean quitting, AtomicBoolean onMaster, boolean checksRole) {
    }

    private final RedisTimers timers;
    private final List<Followed> followed = new CopyOnWriteArrayList<>();
    private volatile SentinelWatch watch = SentinelWatch.NONE;

    private MasterFollower(RedisTimers timers) {
        this.timers = timers;
    }

    /**
     * Follows {@code connections} (by their names in the log) and {@code pubsub} to every master
     * the sentinels of {@code uri} announce; {@link #NONE} when {@code uri} is null or names none.
     */
    static MasterFollower follow(RedisClient client, RedisURI uri, RedisTimers timers,
                                 Map<String, StatefulRedisConnection<String, String>> connections,
                                 StatefulRedisPubSubConnection<String, String> pubsub) {
        if (uri == null || uri.getSentinelMasterId() == null) {
            return NONE;
        }
        MasterFollower follower = new MasterFollower(timers);
        connections.forEach((name, c) -> follower.follow(name, c, true));
        // A subscriber's connection cannot ask ROLE (RESP2), and needs not: a replica relays the
        // master's messages, and the probes that prove the link travel on the command connection.
        follower.follow("pubsub", pubsub, false);
        follower.watch = SentinelWatch.start(client, uri, follower::switched);
        return follower;
    }

    private void follow(String name, StatefulRedisConnection<?, ?> connection, boolean checksRole) {
        Followed f = new Followed(name, connection, new AtomicReference<>(), new AtomicBoolean(), new AtomicBoolean(),
                checksRole);
        connection.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                f.server().set(address);
                if (checksRole) {
                    timers.later(ROLE_CHECK_DELAY, () -> checkRole(f));
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                f.server().set(null);
                f.onMaster().set(false);
                f.quitting().set(false);
            }
        });
        followed.add(f);
        if (checksRole) {
            checkRole(f);
        }
    }

    /** False while a command connection is down, on a replica, or not yet checked since it connected. */
    boolean onMaster() {
        for (Followed f : followed) {
            if (f.checksRole() && !f.onMaster().get()) {
                return false;
            }
        }
        return true;
    }

    private void checkRole(Followed f) {
        try {
            f.connection().async().role().whenComplete((role, error) -> {
                if (error instanceof RedisCommandExecutionException) {
                    // Refused (an ACL without ROLE, say): trust Sentinel's answer rather than
                    // never be ready.
                    LOG.warn("event=role-check-refused connection={} reason=\"{}\"", f.name(), error.getMessage());
                    f.onMaster().set(true);
                    return;
                }
                if (error != null) {
                    // Down again (the next connect checks), or slow: ask again while it is up.
                    if (f.connection().isOpen()) {
                        timers.later(ROLE_RETRY, () -> checkRole(f));
                    }
                    return;
                }
                if ("master".equals(String.valueOf(role.get(0)))) {
                    f.onMaster().set(true);
                } else {
                    LOG.warn("event=connected-to-replica connection={} server={}", f.name(), f.server().get());
                    quit(f);
                }
            });
        } catch (RuntimeException e) {
            // Rejected: the connection is down, and checks again when it connects.
        }
    }

    /** Sentinel names {@code master}: leave every other server. */
    void switched(InetSocketAddress master) {
        for (Followed f : followed) {
            SocketAddress at = f.server().get();
            if (f.connection().isOpen() && !isAt(at, master)) {
                LOG.info("event=leaving-old-master connection={} server={} master={}", f.name(), at, master);
                quit(f);
            }
        }
    }

    private void quit(Followed f) {
        if (!f.quitting().compareAndSet(false, true)) {
            return;
        }
        try {
            f.connection().async().quit().exceptionally(e -> {
                LOG.debug("event=quit-failed connection={} reason=\"{}\"", f.name(), e.toString());
                return null;
            });
        } catch (RuntimeException e) {
            // Rejected: the connection went down meanwhile, and reconnects through Sentinel.
            f.quitting().set(false);
        }
    }

    /** Sentinel gives an IP (or a hostname, with resolve-hostnames); Lettuce connected to what it gave. */
    static boolean isAt(SocketAddress at, InetSocketAddress master) {
        if (!(at instanceof InetSocketAddress a) || a.getPort() != master.getPort()) {
            return false;
        }
        return a.getHostString().equals(master.getHostString())
                || (a.getAddress() != null && a.getAddress().getHostAddress().equals(master.getHostString()));
    }

    @Override
    public void close() {
        watch.close();
    }
}
