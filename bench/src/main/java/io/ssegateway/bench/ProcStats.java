package io.ssegateway.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CPU time and resident memory of the server processes, from {@code /proc}. The processes are
 * given by pid or found as the holders of a listening socket on a port (for nginx: the master
 * and every worker, which share it).
 */
final class ProcStats {
    /** Clock ticks per second of {@code /proc/<pid>/stat}: 100 on every Linux we run on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final List<Long> pids;

    ProcStats(List<Long> pids) {
        this.pids = pids;
    }

    static ProcStats of(List<Long> pids, List<Integer> ports) throws IOException {
        Set<Long> all = new LinkedHashSet<>(pids);
        for (int port : ports) {
            all.addAll(listeners(port));
        }
        return new ProcStats(new ArrayList<>(all));
    }

    List<Long> pids() {
        return pids;
    }

    /** User plus system CPU seconds of all the processes so far. */
    double cpuSeconds() {
        double total = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // The command name may hold spaces: fields are counted after its closing ')'.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            } catch (IOException | RuntimeException e) {
                // A process that exited adds nothing.
            }
        }
        return total;
    }

    /** Resident set size of all the processes, in kB. */
    long rssKb() {
        long total = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone
            }
        }
        return total;
    }

    /** The processes that hold a socket listening on {@code port}. */
    static Set<Long> listeners(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals("0A")) {
                    continue;
                }
                String local = f[1];
                int colon = local.lastIndexOf(':');
                if (colon > 0 && Integer.parseInt(local.substring(colon + 1), 16) == port) {
                    inodes.add("socket:[" + f[9] + "]");
                }
            }
        }
        Set<Long> out = new LinkedHashSet<>();
        if (inodes.isEmpty()) {
            return out;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                Path fds = proc.resolve("fd");
                try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
                    for (Path fd : links) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                out.add(Long.parseLong(proc.getFileName().toString()));
                                break;
                            }
                        } catch (IOException e) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException e) {
                    // not ours to read, or gone
                }
            }
        }
        return out;
    }
}
