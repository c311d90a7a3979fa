package io.ssegateway.egress;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.ssegateway.config.CorsPolicy;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.ingress.HeaderChecks;
import io.ssegateway.ingress.RequestGate;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/**
 * Puts an {@link SseRouter} in front of Micronaut's request handler on every HTTP/1.1
 * connection, so stream requests are answered by the gateway's own writer, and before it a
 * {@link RequestGate}, so a request is refused from its head before its body is read; right after
 * the HTTP codec, a {@link RequestHeadTimeout}, so a head that trickles in is cut off; and the
 * codec itself decodes into {@link FramingHeaders}, so a smuggling attempt can be seen.
 */
@Singleton
public class SsePipelineInstaller implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private final Provider<SseService> service;
    private final Provider<HeaderChecks> checks;
    private final Provider<CorsPolicy> cors;
    private final Provider<GatewayConfig> config;
    private final Provider<NettyHttpServerConfiguration> server;

    public SsePipelineInstaller(Provider<SseService> service, Provider<HeaderChecks> checks, Provider<CorsPolicy> cors,
                                Provider<GatewayConfig> config, Provider<NettyHttpServerConfiguration> server) {
        this.service = service;
        this.checks = checks;
        this.cors = cors;
        this.config = config;
        this.server = server;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private final class Customizer implements NettyServerCustomizer {
        private final Channel channel;

        Customizer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel == null) {
                return;
            }
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) != null && pipeline.get("sse-router") == null) {
                pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, "sse-router", new SseRouter(service.get()));
                // After the router: a request that cannot be framed safely (a transfer coding other
                // than chunked, a broken head) is refused as such before any check of its token.
                pipeline.addAfter("sse-router", "request-gate", new RequestGate(checks.get(), cors.get()));
                if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) instanceof HttpServerCodec) {
                    // Nothing has been read yet: the codec is swapped before its first byte.
                    pipeline.replace(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                            ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, FramingHeaders.codec(server.get()));
                }
                long headTimeout = config.get().requestHeadTimeout().toNanos();
                if (headTimeout > 0 && pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
                    pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, "request-head-timeout",
                            new RequestHeadTimeout(headTimeout));
                }
            }
        }
    }
}
