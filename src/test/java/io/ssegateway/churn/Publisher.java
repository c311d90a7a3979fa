package io.ssegateway.churn;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes one event every {@link #PERIOD} to {@code POST /broadcast}, each carrying its
 * sequence number ({@code {"seq": N}}), and remembers what became of each: accepted (201, the
 * only ones every client must receive), or not.
 *
 * <p>One request at a time on one thread, each waiting for its answer: so sequence order is
 * publish order, and clients can be checked for order by sequence number alone.
 */
final class Publisher implements AutoCloseable {
    /** 20 events a second. */
    static final Duration PERIOD = Duration.ofMillis(50);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    /** What became of one publish. */
    enum Outcome { ACCEPTED, REFUSED, UNKNOWN }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI url;
    private final String namespace;
    private final String token;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "churn-publisher"));
    private final ConcurrentSkipListMap<Long, Outcome> outcomes = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicLong> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();
    private volatile long lastAccepted = -1;

    Publisher(String url, String namespace, String secret) {
        this.url = URI.create(url + "/broadcast");
        this.namespace = namespace;
        this.token = publisherToken(secret);
    }

    void start() {
        pacer.scheduleAtFixedRate(this::publishOne, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next sequence number to be published: every event of a phase lies below it at its end. */
    long nextSeq() {
        return next.get();
    }

    long lastAccepted() {
        return lastAccepted;
    }

    /** Sequence numbers and their outcomes, in order. */
    NavigableMap<Long, Outcome> outcomes() {
        return new TreeMap<>(outcomes);
    }

    /** How many answers of each kind ({@code 201}, {@code 503}, {@code ConnectException}…). */
    Map<String, Long> answers() {
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    private void publishOne() {
        long seq = next.get();
        String body = "{\"namespace\":\"" + namespace + "\",\"data\":{\"seq\":" + seq + "}}";
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        Outcome outcome;
        String answer;
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            answer = Integer.toString(status);
            // A 5xx from the proxy (502, 504) may come after the instance stored the event: unknown.
            outcome = status == 201 ? Outcome.ACCEPTED : status < 500 || status == 503 ? Outcome.REFUSED : Outcome.UNKNOWN;
        } catch (IOException e) {
            answer = e.getClass().getSimpleName();
            outcome = Outcome.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        outcomes.put(seq, outcome);
        answers.computeIfAbsent(answer, k -> new AtomicLong()).incrementAndGet();
        if (outcome == Outcome.ACCEPTED) {
            lastAccepted = seq;
        }
        next.incrementAndGet();
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        try {
            pacer.awaitTermination(REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A publisher token signed with the secret every instance shares, as an identity provider would issue it. */
    private static String publisherToken(String secret) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("churn-publisher")
                .claim("roles", List.of("publisher"))
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
