package io.github.wardops.ward.examples.spring;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The example's settings, bound from {@code ward.example.*}. The engine's builder and the device
 * constructors validate them when the {@code ward} bean is created, so a bad value stops the
 * application at start with every problem listed.
 *
 * @param devices the addresses to ping, as IP literals; each becomes a device named after it
 * @param interval the ICMP interval (default 5 s)
 * @param embeddedDatabase whether to start an embedded PostgreSQL as the application's
 *     {@code DataSource} (otherwise Boot's {@code spring.datasource.*} settings apply)
 * @param dataDirectory where the embedded database and ward's spool keep their files
 * @param maxProbesInFlight the engine's limit on probes running at once (default 256)
 */
@ConfigurationProperties("ward.example")
public record WardProperties(@DefaultValue("127.0.0.1") List<String> devices,
                             @DefaultValue("5s") Duration interval,
                             @DefaultValue("256") int maxProbesInFlight,
                             @DefaultValue("true") boolean embeddedDatabase,
                             @DefaultValue("ward-data/example") java.nio.file.Path dataDirectory) {
}
