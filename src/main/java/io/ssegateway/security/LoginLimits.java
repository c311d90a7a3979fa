package io.ssegateway.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.ssegateway.config.PositiveDuration;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import java.time.Duration;

/**
 * How much password checking {@code /login} may do, under {@code sse.login.*} (environment
 * {@code SSE_LOGIN_THREADS}, {@code SSE_LOGIN_ADDRESS_BURST}, ... by Micronaut's own mapping;
 * the defaults live here only; a value the constraints refuse stops start-up naming the
 * setting). A bcrypt check
 * costs tens of milliseconds of CPU by design; unbounded, a flood of guesses takes the CPU from
 * the streams (32 parallel bad logins once pushed event delivery from 3 ms to over a second).
 *
 * @param threads threads that check passwords; one keeps a flood to one core of CPU, the rest
 *     stays with the event loops
 * @param queue checks waiting for a thread; beyond it a login is answered 429 at once rather than
 *     queued for longer than a client would wait (16 checks at ~80 ms: about 1.3 s)
 * @param addressBurst failed logins one client address may make in a row
 * @param addressRefill after the burst, one more attempt per this interval (10 a minute by default)
 * @param userBurst failed logins at one user name in a row, from any address: guessing one
 *     account's password from many addresses
 * @param userRefill after that burst, one more attempt at the name per this interval
 * @param maxTracked addresses and names remembered at once; the least recently used are
 *     forgotten first, so random names cannot grow memory (the address bound still holds them)
 */
@ConfigurationProperties("sse.login")
public record LoginLimits(
        @Bindable(defaultValue = "1") @Positive int threads,
        @Bindable(defaultValue = "16") @PositiveOrZero int queue,
        @Bindable(defaultValue = "10") @Positive int addressBurst,
        @Bindable(defaultValue = "6s") @PositiveDuration Duration addressRefill,
        @Bindable(defaultValue = "5") @Positive int userBurst,
        @Bindable(defaultValue = "12s") @PositiveDuration Duration userRefill,
        @Bindable(defaultValue = "10000") @Positive int maxTracked) {
}
