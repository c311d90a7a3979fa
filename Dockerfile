# Image of the gateway: `docker build -t sse-gateway .` from the repository root.
# The base images are build arguments so that an engine without a registry can build from
# images made locally (deploy/base-images.sh, used by deploy/test-image.sh):
#   docker build --build-arg BUILD_IMAGE=sse-gateway-base/jdk:25 --build-arg RUNTIME_IMAGE=sse-gateway-base/jre:25 .
# The runtime image must be Java 25 or newer (the AOT cache below) and have bash and useradd.
ARG BUILD_IMAGE=eclipse-temurin:25-jdk-noble
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre-noble

# --- build: the runnable (shaded) jar, from the same Maven wrapper as a local build.
# JAR_FROM=target takes the jar a `./mvnw package` left in target/ instead, for machines whose
# builds cannot reach Maven Central (deploy/test-image.sh); the default builds from source.
FROM ${BUILD_IMAGE} AS build
ARG JAR_FROM=source
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
# The plugins and dependencies first, in a layer of their own that only a change of pom.xml
# rebuilds: a change of the sources then builds without downloading them again.
RUN if [ "$JAR_FROM" = source ]; then mkdir -p src/main/java && ./mvnw -q -B package -DskipTests && rm -rf target; fi
COPY src/ src/
# pom.xml is listed so that the copy has a source when target/ holds no jar.
COPY pom.xml target/sse-gateway-*.jar prebuilt/
RUN if [ "$JAR_FROM" = target ]; then cp prebuilt/sse-gateway-*.jar /src/sse-gateway.jar; \
    else ./mvnw -q -B package -DskipTests && cp target/sse-gateway-*.jar /src/sse-gateway.jar; fi

# --- run: a Java 25 runtime, as a fixed non-root user
FROM ${RUNTIME_IMAGE}
RUN groupadd --system --gid 10001 sse \
 && useradd --system --uid 10001 --gid sse --home-dir /app --no-create-home --shell /usr/sbin/nologin sse
WORKDIR /app
COPY --from=build /src/sse-gateway.jar /app/sse-gateway.jar
COPY deploy/aot-training.sh /app/aot-training.sh

# Size the heap from the container's memory limit, and let an OOM kill the process (the
# orchestrator restarts it) rather than leave a JVM that half works. The serial collector is
# what the JVM picks by itself under 1792 MB or 2 CPUs (the chart's 512Mi pod); named, it stays
# when a limit is raised (G1 held 25 MB more at the first byte from the same initial heap,
# docs/startup.md), and the training run below, on a build machine where the JVM would pick G1,
# makes the cache under the collector the container runs. The JIT keeps both tiers: C1 alone got
# every publish through at 50/s on a loaded machine in the first minute, but on a quiet one it
# halved (w4) and cut (b) by an eighth the deliveries per second (BENCHMARKS.md, "The JIT at 50
# events/s"). Every second the JVM hands the C allocator's free memory back to the OS, and
# allocations of 128 KiB or more are mapped on their own (a fixed MALLOC_MMAP_THRESHOLD_ stops
# glibc from raising it after a free): direct buffers freed after a burst otherwise stayed in
# glibc's arenas, and 2,000 clients that never read took the RSS to 557-616 MB in a 512 MiB pod
# where they now reach 390 MB (BENCHMARKS.md, budget); 7-9 MB less at idle (docs/startup.md).
# Set before the training run: the cache is made and used under the same options.
ENV MALLOC_MMAP_THRESHOLD_=131072
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:TrimNativeHeapInterval=1000"

# Start-up: an ahead-of-time cache (JEP 483/514) of the classes a start loads and links, made
# by a training run against this very JRE and jar: a start, one stream, one publish, SIGTERM
# (the cache is written at exit). A JVM that cannot use it starts without it, with a warning.
# The ports are build arguments: a build on the host network must not collide with a server.
ARG TRAINING_PORT=8080
ARG TRAINING_CONTROL_PORT=7070
RUN TRAINING_PORT=${TRAINING_PORT} TRAINING_CONTROL_PORT=${TRAINING_CONTROL_PORT} \
      bash /app/aot-training.sh java -XX:AOTCacheOutput=/app/sse-gateway.aot -Xlog:aot=error \
        --enable-native-access=ALL-UNNAMED -jar /app/sse-gateway.jar \
 && test -s /app/sse-gateway.aot \
 && rm /app/aot-training.sh

# The control port (7070) stays on loopback: it takes commands without a token.
EXPOSE 8080
USER 10001:10001
# SIGTERM starts the drain: readiness goes down and streams close over SSE_DRAIN_PERIOD.
STOPSIGNAL SIGTERM
# Exec form: the JVM is PID 1 and receives the signal itself, not through a shell. Netty loads
# its epoll library with System.loadLibrary, which Java 25 warns about unless allowed; the
# option is the same as in the training run because the cache records the module options.
ENTRYPOINT ["java", "-XX:AOTCache=/app/sse-gateway.aot", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/sse-gateway.jar"]
