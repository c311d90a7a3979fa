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
        Signal.handle(new Signal("TERM"), signal -> context.getBean(Drain.class).begin("SIGTERM"));
    }
}
