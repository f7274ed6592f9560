# syntax=docker/dockerfile:1
# KalamDB for the JVM: build with Maven on Temurin 25 (bytecode targets Java 21), run on a Temurin 25 JRE.
#   docker build -t kalamdb-jvm .
#   docker run -p 8080:8080 -v kalamdb-data:/data \
#     -e KALAMDB_ROOT_PASSWORD=... -e KALAMDB_JWT_SECRET=<at least 32 random characters> kalamdb-jvm

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -q -DskipTests clean package

FROM eclipse-temurin:25-jre
WORKDIR /opt/kalamdb
# The server runs as an unprivileged user that owns only its data directory.
RUN groupadd --system --gid 10001 kalamdb \
 && useradd --system --uid 10001 --gid kalamdb --home-dir /opt/kalamdb --shell /usr/sbin/nologin kalamdb \
 && mkdir -p /data && chown kalamdb:kalamdb /data
COPY --from=build /src/kalam-verticles/target/lib/ lib/
COPY --from=build /src/kalam-verticles/target/kalam-verticles-0.1.0-SNAPSHOT.jar lib/
# The server listens on every interface inside the container; it refuses to start on a non-loopback
# host unless KALAMDB_JWT_SECRET is set to a secret of at least 32 characters.
ENV KALAMDB_SERVER_HOST=0.0.0.0 \
    KALAMDB_SERVER_PORT=8080 \
    KALAMDB_DATA_DIR=/data
VOLUME /data
USER kalamdb
EXPOSE 8080
# /health answers only requests from the container itself (reference 2.1): probe it from inside, as
# docker-compose.yml does; through the port mapping it answers 403.
# Same JVM flags as bin/kalamdb-server on a JDK >= 24. SIGTERM shuts down cleanly.
ENTRYPOINT ["java", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Duser.timezone=UTC", \
            "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", \
            "-cp", "/opt/kalamdb/lib/*", "io.kalamdb.server.KalamServerMain"]
