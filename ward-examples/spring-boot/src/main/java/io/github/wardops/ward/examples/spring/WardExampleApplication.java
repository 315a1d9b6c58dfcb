package io.github.wardops.ward.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A Spring Boot application that embeds ward: the engine is a bean whose lifecycle follows the
 * application context ({@link WardConfiguration}), its meters go to the application's
 * {@code MeterRegistry} (so they appear at {@code /actuator/prometheus}), and device state is
 * served at {@code /devices} ({@link DevicesController}).
 *
 * <p>Run it with {@code ./mvnw -q -pl ward-examples/spring-boot -am compile exec:java}
 * (see docs/examples.md).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class WardExampleApplication {
    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments, such as {@code --ward.example.devices=127.0.0.1}
     */
    public static void main(String[] args) {
        SpringApplication.run(WardExampleApplication.class, args);
    }
}
