# Image of the gateway: `docker build -t sse-gateway .` from the repository root.

# --- build: the runnable (shaded) jar, from the same Maven wrapper as a local build
FROM eclipse-temurin:17-jdk-jammy AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
RUN ./mvnw -q -B package -DskipTests \
 && cp target/sse-gateway-*.jar /src/sse-gateway.jar

# --- run: a JRE on Alpine, as a fixed non-root user
FROM eclipse-temurin:17-jre-alpine
RUN addgroup -S -g 10001 sse \
 && adduser -S -D -H -u 10001 -G sse -h /app -s /sbin/nologin sse
WORKDIR /app
COPY --from=build /src/sse-gateway.jar /app/sse-gateway.jar

# Size the heap from the container's memory limit, and let an OOM kill the process (the
# orchestrator restarts it) rather than leave a JVM that half works.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

# Start-up: an application class-data archive (AppCDS) of the classes a start loads, made by a
# training run against this very JRE and jar, roughly halves the JVM's CPU time to the first
# SSE connection (bench/cold-start.sh). A JVM that cannot map it starts without it. The
# training run starts the gateway, opens one stream, and stops it with SIGTERM (the archive
# is written at exit); its secret is a placeholder that the archive does not keep.
RUN JWT_SECRET=cds-training-run-only-cds-training-run-only SSE_CONTROL_PORT=0 SSE_DRAIN_PERIOD=0s \
      java -XX:ArchiveClassesAtExit=/app/sse-gateway.jsa -jar /app/sse-gateway.jar & \
    pid=$!; \
    for i in $(seq 1 240); do \
      wget -q -O /dev/null -T 2 http://127.0.0.1:8080/health/readiness && break; \
      sleep 0.5; \
    done; \
    timeout 2 wget -q -O /dev/null http://127.0.0.1:8080/subscribe/training; \
    kill -TERM "$pid" && wait "$pid" && test -s /app/sse-gateway.jsa

# The control port (7070) stays on loopback: it takes commands without a token.
EXPOSE 8080
USER 10001:10001
# SIGTERM starts the drain: readiness goes down and streams close over SSE_DRAIN_PERIOD.
STOPSIGNAL SIGTERM
# Exec form: the JVM is PID 1 and receives the signal itself, not through a shell.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/sse-gateway.jsa", "-jar", "/app/sse-gateway.jar"]
