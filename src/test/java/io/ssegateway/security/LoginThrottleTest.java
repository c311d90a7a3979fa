package io.ssegateway.security;

import io.ssegateway.core.Namespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottleTest {
    private static final User ALICE = new User("alice", List.of("publisher"), null, List.of(Namespace.ROOT));

    private final AtomicLong now = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginLimits(1, 4, 3, Duration.ofSeconds(6), 2, Duration.ofSeconds(20), 100), now::get, Duration.ZERO);

    @AfterEach
    void close() {
        throttle.close();
    }

    private Optional<User> login(String address, String name, boolean right) {
        return throttle.attempt(address, name, () -> right ? Optional.of(ALICE) : Optional.empty())
                .orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static LoginThrottle.Refused refused(Runnable attempt) {
        CompletionException e = assertThrows(CompletionException.class, attempt::run);
        assertTrue(e.getCause() instanceof LoginThrottle.Refused, String.valueOf(e.getCause()));
        return (LoginThrottle.Refused) e.getCause();
    }

    @Test
    void passwordsAreCheckedOffTheCallersThread() {
        AtomicReference<String> thread = new AtomicReference<>();
        throttle.attempt("10.0.0.1", "alice", () -> {
            thread.set(Thread.currentThread().getName());
            return Optional.of(ALICE);
        }).join();
        assertTrue(thread.get().startsWith("login-"), thread.get());
    }

    @Test
    void anAddressGetsItsBurstOfFailuresThen429WithRetryAfter() {
        login("10.0.0.1", "a", false);
        login("10.0.0.1", "b", false);
        login("10.0.0.1", "c", false);
        LoginThrottle.Refused r = refused(() -> login("10.0.0.1", "d", false));
        assertEquals(429, r.refusal().status());
        assertEquals("6", r.refusal().headers().get("Retry-After"));
        assertEquals("TOO_MANY_REQUESTS", r.refusal().code());
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertEquals(Optional.empty(), login("10.0.0.1", "e", false));
    }

    @Test
    void aUserNameIsLimitedAcrossAddressesWhetherOrNotItExists() {
        for (String name : List.of("alice", "nobody-by-this-name")) {
            login("10.0.0.1", name, false);
            login("10.0.0.2", name, false);
            LoginThrottle.Refused r = refused(() -> login("10.0.0.3", name, false));
            assertEquals("20", r.refusal().headers().get("Retry-After"));
            now.addAndGet(Duration.ofMinutes(5).toNanos());
        }
    }

    @Test
    void successfulLoginsDoNotCount() {
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.of(ALICE), login("10.0.0.1", "alice", true));
        }
    }

    @Test
    void aFullQueueIsRefusedAtOnceNotQueued() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        LoginThrottle wide = new LoginThrottle(
                new LoginLimits(1, 1, 100, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), 100), now::get, Duration.ZERO);
        try {
            CompletableFuture<Optional<User>> running = wide.attempt("a", "u1", () -> {
                release.join();
                return Optional.empty();
            });
            CompletableFuture<Optional<User>> queued = wide.attempt("a", "u2", Optional::empty);
            CompletableFuture<Optional<User>> third = wide.attempt("a", "u3", Optional::empty);
            CompletionException e = assertThrows(CompletionException.class, third::join);
            assertTrue(e.getCause() instanceof LoginThrottle.Refused);
            release.complete(null);
            assertEquals(Optional.empty(), running.get(5, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), queued.get(5, TimeUnit.SECONDS));
        } finally {
            wide.close();
        }
    }

    @Test
    void forgottenKeysAreTheLeastRecentlyUsed() {
        AttemptBuckets buckets = new AttemptBuckets(1, Duration.ofHours(1), 2, now::get);
        assertEquals(0, buckets.take("a"));
        assertTrue(buckets.take("a") > 0);
        buckets.take("b");
        buckets.take("c");
        assertEquals(0, buckets.take("a"), "a was forgotten once two newer keys came");
    }
}
