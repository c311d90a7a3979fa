package io.ssegateway.testing;

import org.junit.jupiter.api.Assumptions;
import redis.embedded.core.ExecutableProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Redis as production runs it behind Sentinel, from the {@code redis-server} binary: a master, a
 * replica and three sentinels ({@code redis-server <conf> --sentinel}), all on free loopback ports,
 * with failover settings fast enough for a test. The binary is {@code redis-server} on the
 * {@code PATH}, else the Redis 6.2 inside embedded-redis; when neither starts, the test is skipped.
 *
 * <p>Every wait polls a condition with a timeout. {@link #close()} kills every process it started.
 */
public final class SentinelGroup implements AutoCloseable {
    public static final String MASTER_ID = "gw";
    /**
     * A sentinel calls the master down after this much silence: long enough not to flap on a busy
     * machine. With 1 s, at a load of 15 on two cores, a sentinel once heard nothing from a master
     * it had just switched to for a second and failed over again, to a replica restarted empty.
     */
    public static final Duration DOWN_AFTER = Duration.ofMillis(2000);
    /** How long a failover may take before sentinels try again; also the pause between two of them. */
    public static final Duration FAILOVER_TIMEOUT = Duration.ofMillis(3000);
    /**
     * A failover after a kill takes DOWN_AFTER, an election (up to a second of random delay) and
     * the promotion; after a graceful one, Sentinel demotes the old master only when it next reads
     * its INFO (every 10 s) and the role has been wrong for 8 s.
     */
    public static final Duration SETTLE = Duration.ofSeconds(30);
    /**
     * The cap of {@link #holdReplica()}'s pause: far longer than any scenario holds it, so that
     * only {@link #killMasterAndReleaseReplica()} ends it, short enough that a test that died
     * holding it does not leave the replica paused for the next.
     */
    static final Duration HOLD_CAP = Duration.ofSeconds(30);
    /** Lines of each sentinel's log quoted when a failover does not come. */
    private static final int LOG_LINES = 40;
    private static final int SENTINELS = 3;

    private final Path binary;
    private final Path dir;
    private final List<Node> redis = new ArrayList<>();
    private final List<Node> sentinels = new ArrayList<>();

    private SentinelGroup(Path binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
    }

    /** Starts the group and waits until the sentinels know the master, the replica and each other. */
    public static SentinelGroup start() {
        Path binary = binary();
        Path dir;
        try {
            dir = Files.createTempDirectory("sentinel-group");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SentinelGroup group = new SentinelGroup(binary, dir);
        try {
            Node master = group.redisNode(freePort(), null);
            group.redisNode(freePort(), master.port);
            for (int i = 0; i < SENTINELS; i++) {
                group.sentinels.add(group.sentinelNode(i, freePort(), master.port));
            }
            group.awaitStable();
            return group;
        } catch (RuntimeException | Error e) {
            group.close();
            throw e;
        }
    }

    /** The address the gateway is given: every sentinel, and the name of the master. */
    public String uri() {
        StringBuilder b = new StringBuilder("redis-sentinel://");
        for (int i = 0; i < sentinels.size(); i++) {
            b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinels.get(i).port);
        }
        return b.append("?sentinelMasterId=").append(MASTER_ID).toString();
    }

    /** The master's port as the first sentinel that answers reports it. */
    public int masterPort() {
        for (Node s : sentinels) {
            if (s.isAlive()) {
                List<?> addr = (List<?>) Resp.once(s.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_ID);
                return Integer.parseInt((String) addr.get(1));
            }
        }
        throw new IllegalStateException("no sentinel is running");
    }

    /** The port of the Redis that is not the master. */
    public int replicaPort() {
        int master = masterPort();
        return redis.stream().filter(n -> n.port != master).findFirst().orElseThrow().port;
    }

    /** {@code SENTINEL FAILOVER}: a graceful switch; returns when the sentinels and both servers agree on the new roles. */
    public int failover() {
        int old = masterPort();
        Resp.once(liveSentinel().port, "SENTINEL", "FAILOVER", MASTER_ID);
        return awaitNewMaster(old);
    }

    /** kill -9 of the master; returns its port. */
    public int killMaster() {
        int port = masterPort();
        node(port).kill();
        return port;
    }

    /** Waits until every running sentinel names a master other than {@code old}, and that server is a master. */
    public int awaitNewMaster(int old) {
        try {
            Await.until(SETTLE, "a master other than port " + old, () -> {
                for (Node s : sentinels) {
                    if (s.isAlive() && masterPortOf(s) == old) {
                        return false;
                    }
                }
                return "master".equals(role(masterPort()));
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the sentinels logged:\n" + sentinelLog(), e);
        }
        return masterPort();
    }

    /**
     * {@code CLIENT PAUSE … WRITE} on the replica: it applies nothing of the replication stream
     * from here on, so what the master acknowledges meanwhile exists on the master only.
     */
    public void holdReplica() {
        Resp.once(replicaPort(), "CLIENT", "PAUSE", Long.toString(HOLD_CAP.toMillis()), "WRITE");
    }

    /**
     * kill -9 of the master while {@link #holdReplica() held}; returns its port. The replica is
     * released as soon as it reports its link to the master down, which drops what it held back
     * unapplied: the writes since the hold are lost, as after a crash with replication behind.
     *
     * <p>Released at once because a paused replica also holds back the commands of Sentinel's
     * own connection to it (its hello {@code PUBLISH} waits, and the {@code INFO} and
     * {@code PING} queued behind it): Sentinel would see it down and abort the failover
     * ({@code -failover-abort-no-good-slave}), then wait twice the failover timeout before
     * trying again.
     */
    public int killMasterAndReleaseReplica() {
        int replica = replicaPort();
        int killed = killMaster();
        Await.until(SETTLE, "the replica on port " + replica + " to see its master gone", () -> "down".equals(
                Resp.infoField((String) Resp.once(replica, "INFO", "replication"), "master_link_status")));
        Resp.once(replica, "CLIENT", "UNPAUSE");
        return killed;
    }

    /** Records the first {@code +switch-master} of any running sentinel, from now on. */
    public SwitchRecorder recordSwitches() {
        return SwitchRecorder.on(MASTER_ID, sentinels.stream().filter(Node::isAlive).map(n -> n.port).toList());
    }

    /** The last lines of every sentinel's log, for a failure message. */
    public String sentinelLog() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sentinels.size(); i++) {
            try {
                List<String> lines = Files.readAllLines(logOf(i));
                b.append("sentinel-").append(i).append(":\n");
                lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()).forEach(l -> b.append(l).append('\n'));
            } catch (IOException e) {
                b.append("sentinel-").append(i).append(": no log (").append(e).append(")\n");
            }
        }
        return b.toString();
    }

    private Path logOf(int sentinel) {
        return dir.resolve("sentinel-" + sentinel + ".log");
    }

    /** Starts a killed server again, empty, as a replica of the current master (as an orchestrator would). */
    public void restartAsReplica(int port) {
        node(port).start(List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort())));
        awaitStable();
    }

    public void stopSentinel(int index) {
        sentinels.get(index).kill();
    }

    public void startSentinel(int index) {
        sentinels.get(index).start(List.of());
        awaitStable();
    }

    /** The role a server reports: {@code master} or {@code slave}; null when it does not answer. */
    public static String role(int port) {
        try {
            return Resp.infoField((String) Resp.once(port, "INFO", "replication"), "role");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Waits until the master is a master, the replica's link is up and it has every write, and each
     * running sentinel sees both and every other running sentinel: a failover could start now.
     */
    public void awaitStable() {
        Await.until(SETTLE, "a stable Sentinel group", this::stable);
    }

    private boolean stable() {
        try {
            int master = masterPort();
            int replica = replicaPort();
            String masterInfo = (String) Resp.once(master, "INFO", "replication");
            String replicaInfo = (String) Resp.once(replica, "INFO", "replication");
            if (!"master".equals(Resp.infoField(masterInfo, "role"))
                    || !"up".equals(Resp.infoField(replicaInfo, "master_link_status"))
                    || !Integer.toString(master).equals(Resp.infoField(replicaInfo, "master_port"))
                    || !Resp.infoField(masterInfo, "master_repl_offset").equals(Resp.infoField(replicaInfo, "slave_repl_offset"))) {
                return false;
            }
            long running = sentinels.stream().filter(Node::isAlive).count();
            for (Node s : sentinels) {
                if (!s.isAlive()) {
                    continue;
                }
                Map<String, String> m = fields((List<?>) Resp.once(s.port, "SENTINEL", "MASTER", MASTER_ID));
                if (!"master".equals(m.get("flags")) || !Integer.toString(master).equals(m.get("port"))
                        || Long.parseLong(m.get("num-other-sentinels")) < running - 1 || !replicaKnown(s, replica)) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean replicaKnown(Node sentinel, int replica) {
        for (Object r : (List<?>) Resp.once(sentinel.port, "SENTINEL", "REPLICAS", MASTER_ID)) {
            Map<String, String> f = fields((List<?>) r);
            if (Integer.toString(replica).equals(f.get("port")) && "slave".equals(f.get("flags"))
                    && "ok".equals(f.get("master-link-status"))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> fields(List<?> flat) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return m;
    }

    private static int masterPortOf(Node sentinel) {
        List<?> addr = (List<?>) Resp.once(sentinel.port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_ID);
        return Integer.parseInt((String) addr.get(1));
    }

    private Node liveSentinel() {
        return sentinels.stream().filter(Node::isAlive).findFirst().orElseThrow();
    }

    private Node node(int port) {
        return redis.stream().filter(n -> n.port == port).findFirst().orElseThrow();
    }

    private Node redisNode(int port, Integer masterPort) {
        Node n = new Node(binary, "redis-" + port, port, List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no",
                // A replica stores the RDB of a full sync in its directory: not the working copy.
                "--dir", dir.toString(),
                // A restarted replica syncs at once instead of after the default 5 s wait for company.
                "--repl-diskless-sync-delay", "0"));
        redis.add(n);
        n.start(masterPort == null ? List.of() : List.of("--replicaof", "127.0.0.1", Integer.toString(masterPort)));
        return n;
    }

    private Node sentinelNode(int index, int port, int masterPort) {
        Path conf = dir.resolve("sentinel-" + index + ".conf");
        try {
            // Sentinel rewrites its file (known sentinels, replicas, the current master), so a
            // restarted sentinel rejoins with what it knew.
            Files.writeString(conf, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    // Kept for the failure message of a failover that does not come.
                    "logfile " + logOf(index),
                    "sentinel monitor " + MASTER_ID + " 127.0.0.1 " + masterPort + " 2",
                    "sentinel down-after-milliseconds " + MASTER_ID + " " + DOWN_AFTER.toMillis(),
                    "sentinel failover-timeout " + MASTER_ID + " " + FAILOVER_TIMEOUT.toMillis(),
                    "sentinel parallel-syncs " + MASTER_ID + " 1", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Node n = new Node(binary, "sentinel-" + index, port, List.of(conf.toString(), "--sentinel"));
        n.start(List.of());
        return n;
    }

    private static Path binary() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(d, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        try {
            Path embedded = ExecutableProvider.newJarResourceProvider().get().toPath();
            embedded.toFile().setExecutable(true);
            return embedded;
        } catch (IOException | RuntimeException e) {
            Assumptions.abort("Sentinel tests need redis-server on the PATH or the embedded Redis binary: " + e);
            return null;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Stream.concat(sentinels.stream(), redis.stream()).forEach(Node::kill);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }

    /** One redis-server process; a restart keeps its port and its fixed arguments. */
    private static final class Node {
        private final Path binary;
        private final String name;
        private final int port;
        private final List<String> args;
        private Process process;

        Node(Path binary, String name, int port, List<String> args) {
            this.binary = binary;
            this.name = name;
            this.port = port;
            this.args = args;
        }

        synchronized void start(List<String> extra) {
            List<String> command = new ArrayList<>();
            command.add(binary.toString());
            command.addAll(args);
            command.addAll(extra);
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
            Process started = process;
            Await.until(SETTLE, name + " to answer PING on port " + port, () -> {
                if (!started.isAlive()) {
                    throw new IllegalStateException(name + " exited at start with " + started.exitValue()
                            + "; its binary " + binary + " may lack Sentinel support");
                }
                try {
                    return "PONG".equals(Resp.once(port, "PING"));
                } catch (RuntimeException e) {
                    return false;
                }
            });
        }

        synchronized boolean isAlive() {
            return process != null && process.isAlive();
        }

        /** SIGKILL, as a crash: nothing saved, no goodbye to clients. */
        synchronized void kill() {
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
    }
}
