# The tributary CLI image: one image for the function instances, the producer and the tools.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B package -DskipTests -pl cli -am

FROM eclipse-temurin:17-jre
COPY --from=build /src/cli/target/tributary.jar /opt/tributary/tributary.jar
COPY --from=build /src/examples /opt/tributary/examples
WORKDIR /opt/tributary
# Class-data sharing: one run of the functions against a broker of their own, until they score an event,
# archives the classes a `run` loads (tributary warm-up, about 15-30 s at build time); every container maps
# them instead of loading them from the jar, and reaches its first prediction about a second sooner.
RUN java -Xmx512m -XX:ArchiveClassesAtExit=/opt/tributary/tributary.jsa -jar /opt/tributary/tributary.jar warm-up \
        > /tmp/warm-up.log 2>&1 || { cat /tmp/warm-up.log; exit 1; }; rm -f /tmp/warm-up.log
# A 10 ms pause goal for G1, as the tributary launcher sets it: collections short enough not to set the tail
# of the predictions' latency (docs/operations.md, *The JVM's pauses*). Another collector in JAVA_TOOL_OPTIONS ignores it.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/tributary/tributary.jsa", "-XX:MaxGCPauseMillis=10", "-jar", "/opt/tributary/tributary.jar"]
CMD ["--help"]
