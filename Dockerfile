# The tributary CLI image: one image for the function instances, the producer and the tools.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B package -DskipTests -pl cli -am

FROM eclipse-temurin:17-jre
COPY --from=build /src/cli/target/tributary.jar /opt/tributary/tributary.jar
COPY --from=build /src/examples /opt/tributary/examples
WORKDIR /opt/tributary
ENTRYPOINT ["java", "-jar", "/opt/tributary/tributary.jar"]
CMD ["--help"]
