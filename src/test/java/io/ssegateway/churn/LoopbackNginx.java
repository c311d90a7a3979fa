package io.ssegateway.churn;

import io.ssegateway.testing.Await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real nginx running the repository's own {@code deploy/nginx/nginx.conf}. The copy it runs
 * is made from that file at test time, with only the addresses changed for loopback: the port
 * it listens on, and the upstream's {@code server} lines (one per instance of the test, each
 * with the parameters of the shipped file's first one). Every other line is the shipped one,
 * so what the test proves is what users deploy.
 */
final class LoopbackNginx implements AutoCloseable {
    static final Path SHIPPED = Path.of("deploy", "nginx", "nginx.conf");
    private static final Pattern UPSTREAM = Pattern.compile("(?s)(upstream\\s+\\w+\\s*\\{)(.*?)(\\n\\s*})");
    private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*)server\\s+\\S+:\\d+(\\s[^;]*)?;[^\\n]*\\n");
    private static final Pattern LISTEN = Pattern.compile("(?m)^(\\s*)listen\\s+\\d+\\s*;");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    final int port;
    private final Process process;

    private LoopbackNginx(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** The shipped configuration, listening on {@code port} and proxying to {@code upstreams}. */
    static String configuration(String shipped, int port, List<Integer> upstreams) {
        Matcher listen = LISTEN.matcher(shipped);
        if (!listen.find()) {
            throw new IllegalStateException(SHIPPED + " has no 'listen PORT;' line to point at loopback");
        }
        String text = listen.replaceFirst("$1listen 127.0.0.1:" + port + ";");
        Matcher upstream = UPSTREAM.matcher(text);
        if (!upstream.find()) {
            throw new IllegalStateException(SHIPPED + " has no upstream block");
        }
        String body = upstream.group(2);
        List<MatchResult> servers = SERVER.matcher(body).results().toList();
        if (servers.isEmpty()) {
            throw new IllegalStateException(SHIPPED + " has no 'server HOST:PORT ...;' line in its upstream");
        }
        MatchResult first = servers.get(0);
        String parameters = first.group(2) == null ? "" : first.group(2);
        String loopback = upstreams.stream()
                .map(p -> first.group(1) + "server 127.0.0.1:" + p + parameters + ";\n")
                .collect(Collectors.joining());
        // The test's instances stand where the shipped file's first server line stood.
        String newBody = body.substring(0, first.start()) + loopback
                + SERVER.matcher(body.substring(first.start())).replaceAll("");
        return text.substring(0, upstream.start(2)) + newBody + text.substring(upstream.end(2));
    }

    /** Writes the loopback copy into {@code dir}, checks it with {@code nginx -t}, and starts nginx. */
    static LoopbackNginx start(Path dir, int port, List<Integer> upstreams) throws IOException, InterruptedException {
        Path conf = dir.resolve("nginx.conf").toAbsolutePath();
        Files.writeString(conf, configuration(Files.readString(SHIPPED), port, upstreams));
        Path log = dir.resolve("nginx.log").toAbsolutePath();
        String global = "daemon off; pid " + dir.resolve("nginx.pid").toAbsolutePath() + ";";
        String nginx = binary();
        Process check = new ProcessBuilder(nginx, "-t", "-q", "-e", log.toString(), "-c", conf.toString(), "-g", global)
                .redirectErrorStream(true).start();
        String checkOutput = new String(check.getInputStream().readAllBytes());
        if (!check.waitFor(20, TimeUnit.SECONDS) || check.exitValue() != 0) {
            throw new AssertionError("nginx " + version(nginx) + " refuses " + SHIPPED + " (loopback copy " + conf + "): "
                    + checkOutput.trim());
        }
        Process process = new ProcessBuilder(nginx, "-e", log.toString(), "-c", conf.toString(), "-g", global)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LoopbackNginx started = new LoopbackNginx(port, process);
        try {
            Await.until(START_TIMEOUT, "nginx to listen on " + port, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("nginx exited; see " + log);
                }
                return listening(port);
            });
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
        return started;
    }

    static String binary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "nginx";
    }

    static String version(String nginx) {
        try {
            Process v = new ProcessBuilder(nginx, "-v").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes()).trim();
            v.waitFor(10, TimeUnit.SECONDS);
            return out.replace("nginx version: ", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** nginx stops at once on SIGTERM ("fast shutdown"); its workers follow the master. */
    @Override
    public void close() {
        List<ProcessHandle> workers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            // A worker outlives a master that did not get to stop it.
            workers.forEach(ProcessHandle::destroyForcibly);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
