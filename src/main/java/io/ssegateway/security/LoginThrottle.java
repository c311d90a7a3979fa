package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Refusal;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where and how often {@code /login} checks a password (see {@link LoginLimits}). The check runs
 * on a small pool of its own, never on the event loops that write every stream; a client
 * address, and separately a user name, get a burst of failed attempts and then one per
 * interval, answered {@code 429} with {@code Retry-After} before any hashing is done. A name is
 * limited whether or not such a user exists, so the answers do not tell real names apart.
 *
 * <p>The pool is a plain {@link ThreadPoolExecutor}: Micronaut's configured executors queue
 * without bound, and a queue of logins nobody waits for any more is the flood we refuse.
 */
@Singleton
public final class LoginThrottle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);

    /**
     * How long a throttled login waits for its 429. A client that loops on refusals otherwise
     * gets a thousand a second per connection, and answering them took the CPU from the streams
     * as the hashing did (bench/login-flood.sh); the wait costs a timer, not a thread.
     */
    static final Duration THROTTLED_ANSWER_DELAY = Duration.ofSeconds(1);

    private final AttemptBuckets addresses;
    private final AttemptBuckets names;
    private final ThreadPoolExecutor pool;

    private final Duration answerDelay;

    @Inject
    public LoginThrottle(LoginLimits limits) {
        this(limits, System::nanoTime, THROTTLED_ANSWER_DELAY);
    }

    LoginThrottle(LoginLimits limits, LongSupplier nanoTime, Duration answerDelay) {
        this.answerDelay = answerDelay;
        this.addresses = new AttemptBuckets(limits.addressBurst(), limits.addressRefill(), limits.maxTracked(), nanoTime);
        this.names = new AttemptBuckets(limits.userBurst(), limits.userRefill(), limits.maxTracked(), nanoTime);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(limits.threads(), limits.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, limits.queue())), r -> {
                    Thread t = new Thread(r, "login-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code check} (a password check that returns the user, or empty) on the login pool,
     * if {@code address} and {@code username} still have an attempt. Completes with the user, an
     * empty result for wrong credentials, or fails with a {@link Refused} for 429.
     */
    public <T> CompletableFuture<Optional<T>> attempt(String address, @Nullable String username,
                                                      Supplier<Optional<T>> check) {
        String name = username == null ? "" : username;
        long addressWait = addresses.take(address);
        if (addressWait > 0) {
            return refused(address, "too many failed logins from this address", addressWait);
        }
        long nameWait = names.take(name);
        if (nameWait > 0) {
            addresses.giveBack(address);
            return refused(address, "too many failed logins for this user name", nameWait);
        }
        try {
            return CompletableFuture.supplyAsync(check, pool).thenApply(user -> {
                if (user.isPresent()) {
                    addresses.giveBack(address);
                    names.giveBack(name);
                }
                return user;
            });
        } catch (RejectedExecutionException e) {
            addresses.giveBack(address);
            names.giveBack(name);
            return refused(address, "too many logins in progress, try again shortly", 1);
        }
    }

    private <T> CompletableFuture<Optional<T>> refused(String address, String message, long retryAfter) {
        LOG.debug("login=throttled remote={} retry_after={}s", address, retryAfter);
        Refused refused = new Refused(Refusal.of(Reason.TOO_MANY_REQUESTS, message).retryAfter(retryAfter));
        CompletableFuture<Optional<T>> answer = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(answerDelay.toNanos(), TimeUnit.NANOSECONDS).execute(() -> answer.completeExceptionally(refused));
        return answer;
    }

    /** A login refused before its password was checked. */
    public static final class Refused extends RuntimeException {
        private final transient Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.message(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    @PreDestroy
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
