package io.ssegateway;

import io.micronaut.context.ApplicationContext;
import io.ssegateway.config.GatewayLauncher;
import io.ssegateway.egress.Drain;
import sun.misc.Signal;

public final class Application {
    public static void main(String[] args) {
        // Netty sets up its own Java Flight Recorder events when it first loads, which loaded
        // 122 classes (82 of them jdk.jfr) on the start's critical path with no recording
        // running (docs/startup.md). -Dio.netty.jfr.enabled=true turns them back on for a profile.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        ApplicationContext context = new GatewayLauncher().mainClass(Application.class).args(args).start();
        // The JVM's own SIGTERM handling runs Micronaut's shutdown hook, which stops the HTTP
        // server, cutting every stream at once, before any bean hears of the shutdown. So SIGTERM
        // starts the drain instead: streams close spread over the drain period, then the
        // application stops and the process exits with 0.
        //
        // Micronaut's GracefulShutdownCapable (micronaut.lifecycle.graceful-shutdown) does not
        // replace this handler: it runs inside that same shutdown hook, beside the Netty server's
        // own graceful shutdown, which stops accepting and ends the open responses itself. Tried
        // with GracefulDrain as a GracefulShutdownCapable and this handler removed, the SIGTERM
        // test of GracefulDrainTest had its streams cut (EOF, no last chunk, no retry:) as the
        // drain was only starting. And a JVM that SIGTERM ends through its hooks exits with 143,
        // where a supervisor should see the clean 0 of a planned stop.
        Signal.handle(new Signal("TERM"), signal -> context.getBean(Drain.class).begin("SIGTERM"));
    }
}
