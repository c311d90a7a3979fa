package io.ssegateway.testing;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import redis.embedded.core.ExecutableProvider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real Redis for tests, found in this order:
 * <ol>
 *   <li>{@code REDIS_URI}, when set: a server someone else runs (it cannot be stopped, so tests
 *       that stop or flush Redis are skipped);</li>
 *   <li>a {@code redis:6.2} container, when Docker is usable and the container starts (an
 *       engine without the image and without a registry to pull it from cannot start one);</li>
 *   <li>{@code redis-server} on the {@code PATH}, started on a free port;</li>
 *   <li>the Redis 6.2 binary inside embedded-redis.</li>
 * </ol>
 * The first one a test asks for is logged ({@code redis=...}), with the reason a container
 * was passed over.
 * {@code REDIS_TEST_BINARY} skips the search and names the binary to start ({@code embedded}
 * for the one in embedded-redis), for example to check the oldest supported Redis.
 *
 * <p>Tests share {@link #shared()} and keep apart by giving every broker its own key prefix
 * ({@link #uniquePrefix()}); a test that stops, restarts or flushes Redis takes its own
 * {@link #dedicated()} server.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicLong PREFIXES = new AtomicLong();
    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static RedisServer shared;
    /** Set after a container failed to start: later servers go straight to a binary. */
    private static volatile boolean containerFailed;
    private static volatile boolean announced;

    private final Backend backend;

    private RedisServer(Backend backend) {
        this.backend = backend;
    }

    /** The server every test may use; started once, stopped when the JVM exits. */
    public static synchronized RedisServer shared() {
        if (shared == null) {
            String uri = System.getenv("REDIS_URI");
            shared = new RedisServer(uri != null && !uri.isBlank() ? logged(new External(uri)) : own());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A server of the caller's own, which it may stop, restart and flush; the caller closes it. */
    public static RedisServer dedicated() {
        String uri = System.getenv("REDIS_URI");
        Assumptions.assumeTrue(uri == null || uri.isBlank(), "REDIS_URI names a server tests must not stop");
        return new RedisServer(own());
    }

    /** A key and channel prefix no other test uses. */
    public static String uniquePrefix() {
        return "t" + PREFIXES.incrementAndGet() + "x" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + ":";
    }

    private static Backend own() {
        String binary = System.getenv("REDIS_TEST_BINARY");
        if (binary != null && !binary.isBlank()) {
            return logged(new LocalProcess(binary.equals("embedded") ? embeddedBinary() : Path.of(binary)));
        }
        if (dockerUsable() && !containerFailed) {
            try {
                return logged(new Container());
            } catch (RuntimeException e) {
                // Docker answered but could not run the container (no image and no registry, a
                // daemon without networking...): the suite must still run on a JDK alone.
                containerFailed = true;
                LOG.warn("redis=container unavailable=\"{}\" fallback=binary", e.getMessage());
            }
        }
        Path onPath = onPath("redis-server");
        return logged(new LocalProcess(onPath != null ? onPath : embeddedBinary()));
    }

    /** Says once which kind of Redis the suite runs on, so a surprising result can be traced to it. */
    private static Backend logged(Backend backend) {
        if (!announced) {
            announced = true;
            LOG.info("redis={} uri={}", backend.kind(), backend.uri());
        }
        return backend;
    }

    public String uri() {
        return backend.uri();
    }

    /** Stops the server (as a crash would: nothing saved); {@link #start()} brings it back empty. */
    public void stop() {
        backend.stop();
    }

    public void start() {
        backend.start();
    }

    @Override
    public void close() {
        backend.close();
    }

    /** Asks Docker only when a daemon could be there, so that a machine without one stays fast and quiet. */
    private static boolean dockerUsable() {
        boolean maybe = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!maybe) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            LOG.warn("redis=container docker-unusable=\"{}\"", e.toString());
            return false;
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Path embeddedBinary() {
        try {
            Path binary = ExecutableProvider.newJarResourceProvider().get().toPath();
            binary.toFile().setExecutable(true);
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the embedded Redis", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until a server answers PING on the port. */
    private static void awaitPing(String host, int port, String what) {
        Await.until(START_TIMEOUT, what + " to answer PING on port " + port, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                s.setSoTimeout(500);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                return "+PONG".equals(line);
            } catch (IOException e) {
                return false;
            }
        });
    }

    private interface Backend {
        String uri();

        /** What runs the server, for the log: external, container, or the binary's path. */
        String kind();

        void stop();

        void start();

        void close();
    }

    private record External(String uri) implements Backend {
        @Override
        public String kind() {
            return "external";
        }

        @Override
        public void stop() {
            throw new UnsupportedOperationException("an external Redis cannot be stopped");
        }

        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    }

    /** A redis-server process of our own; restarts keep the port. */
    private static final class LocalProcess implements Backend {
        private final Path binary;
        private final int port = freePort();
        private Process process;

        LocalProcess(Path binary) {
            this.binary = binary;
            start();
        }

        @Override
        public String uri() {
            return "redis://127.0.0.1:" + port;
        }

        @Override
        public String kind() {
            return binary.toString();
        }

        @Override
        public synchronized void start() {
            if (process != null && process.isAlive()) {
                return;
            }
            try {
                process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + binary, e);
            }
            Process started = process;
            awaitPing("127.0.0.1", port, binary.getFileName().toString());
            if (!started.isAlive()) {
                throw new IllegalStateException(binary + " exited at start");
            }
        }

        @Override
        public synchronized void stop() {
            if (process == null) {
                return;
            }
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }

        @Override
        public void close() {
            stop();
        }
    }

    /** A redis:6.2 container, its port bound to a fixed host port so that a restart keeps it. */
    private static final class Container implements Backend {
        private final int port = freePort();
        private final GenericContainer<?> container;

        @SuppressWarnings("resource")
        Container() {
            container = new GenericContainer<>(DockerImageName.parse("redis:6.2-alpine"))
                    .withExposedPorts(6379)
                    .withCommand("redis-server", "--save", "", "--appendonly", "no")
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                            List.of(new PortBinding(Ports.Binding.bindPort(port), new ExposedPort(6379)))));
            try {
                container.start();
            } catch (RuntimeException e) {
                container.stop();
                throw e;
            }
        }

        @Override
        public String kind() {
            return "container:redis:6.2-alpine";
        }

        @Override
        public String uri() {
            return "redis://" + container.getHost() + ":" + port;
        }

        @Override
        public void stop() {
            DockerClientFactory.instance().client().killContainerCmd(container.getContainerId()).exec();
        }

        @Override
        public void start() {
            DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
            awaitPing(container.getHost(), port, "the Redis container");
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
