package io.ssegateway.churn;

import io.ssegateway.testing.Await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One gateway instance as an operating-system process, as a platform runs it: started from the
 * compiled classes and the runtime dependencies (never the test classpath), stopped with
 * SIGTERM ({@link #terminate}) or SIGKILL ({@link #kill}), and started again on the same port
 * with other settings. Its output goes to {@code target/churn/gateway-NAME.log}, appended over
 * restarts.
 */
final class GatewayProcess implements AutoCloseable {
    /** A JVM starts in a few seconds; on a busy two-core machine it has taken over 20. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * JVM options for a fast start and a small footprint (three instances share the machine
     * with a browser): C1 only and the serial collector. Not for production.
     */
    private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final String name;
    final int port;
    private final Map<String, String> env;
    private final Path log;
    private final String classpath;
    private Process process;

    GatewayProcess(String name, int port, Map<String, String> env, Path dir) {
        this.name = name;
        this.port = port;
        this.env = env;
        this.log = dir.resolve("gateway-" + name + ".log");
        this.classpath = classpath();
    }

    /** Starts the instance with its settings plus {@code extra} (which win); does not wait. */
    synchronized void start(Map<String, String> extra) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("instance " + name + " is running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(classpath);
        command.add("io.ssegateway.Application");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> settings = new HashMap<>(env);
        settings.putAll(extra);
        settings.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        settings.put("SSE_INSTANCE_ID", name);
        builder.environment().putAll(settings);
        try {
            Files.writeString(log, "---- start " + name + " " + extra + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start instance " + name, e);
        }
    }

    /** Waits until {@code /health/readiness} answers 200. */
    void awaitReady() {
        Process started = process;
        Await.until(START_TIMEOUT, "instance " + name + " to be ready on port " + port, () -> {
            if (!started.isAlive()) {
                throw new AssertionError("instance " + name + " exited with " + started.exitValue() + " at start; see " + log);
            }
            return ready();
        });
    }

    boolean ready() {
        try {
            HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, then waits for the drain to end and the process to exit; returns its exit code. */
    Stopped terminate(Duration timeout) {
        long start = System.nanoTime();
        process.destroy();
        int code = awaitExit(timeout);
        return new Stopped(code, Duration.ofNanos(System.nanoTime() - start));
    }

    /** SIGKILL: the instance vanishes with its connections open, as a crashed node would. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    private int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("instance " + name + " did not exit within " + timeout + "; killed");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How a SIGTERM ended: the exit code and the time from the signal to the exit. */
    record Stopped(int exitCode, Duration took) {
    }

    /**
     * {@code target/classes} and the runtime dependencies that the {@code churn} profile lists in
     * {@code target/churn/gateway.classpath} (maven-dependency-plugin build-classpath).
     */
    private static String classpath() {
        Path list = Path.of("target", "churn", "gateway.classpath");
        if (!Files.exists(list)) {
            throw new IllegalStateException(list + " is missing: run the test with -Pchurn, which writes it");
        }
        try {
            return Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + Files.readString(list).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
