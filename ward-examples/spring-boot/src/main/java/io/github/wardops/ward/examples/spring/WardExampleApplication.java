package io.github.wardops.ward.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The example application. */
@SpringBootApplication
public class WardExampleApplication {
    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(WardExampleApplication.class, args);
    }
}
