# syntax=docker/dockerfile:1
# Herald in a container, built from this checkout (README.md, "Install"):
#
#   docker build -t herald .
#   docker run -d --name herald -p 8080:8080 -p 7000:7000 -p 7080:7080 -e HERALD_API_KEY=change-me \
#     -v herald-data:/var/lib/herald herald
#
# The image runs one role, standalone by default; arguments after the image name replace it
# (docker run herald gateway --gateway-id g1 ...). Every option can also come from a HERALD_* variable
# (docker run -e HERALD_TCP_PORT=7001, or --env-file conf/herald.env). A stopped node drains and closes within
# --shutdown-deadline (60 s): 'docker stop -t 75' gives it that time (docker's default is 10 s).

# ---- build: the distribution tarball, as 'mvn package' makes it --------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests package -pl herald-dist -am \
 && mkdir /dist \
 && tar -xzf herald-dist/target/herald-*.tar.gz -C /dist --strip-components=1

# ---- run: a Java 17 runtime, the unpacked tarball, a user of its own ---------------------------------------------
FROM eclipse-temurin:17-jre
# curl for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/herald --create-home --shell /usr/sbin/nologin herald
COPY --from=build /dist /opt/herald
USER herald
# standalone keeps its database in ./data: /var/lib/herald/data.
WORKDIR /var/lib/herald
VOLUME /var/lib/herald
# standalone and api: HTTP 8080. standalone and gateway: device TCP 7000, WebSocket 7080. gateway: internal link
# 7200, health and metrics 9100. archiver: health and metrics 9300.
EXPOSE 8080 7000 7080 7200 9100 9300
# Readiness of the role: standalone and api answer on their HTTP port; for a gateway set
# HEALTH_URL=http://127.0.0.1:9100/health/ready, for an archiver ...:9300/health/ready.
ENV HEALTH_URL=http://127.0.0.1:8080/health/ready
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS -o /dev/null "$HEALTH_URL" || exit 1
ENTRYPOINT ["/opt/herald/bin/herald"]
CMD ["standalone"]
