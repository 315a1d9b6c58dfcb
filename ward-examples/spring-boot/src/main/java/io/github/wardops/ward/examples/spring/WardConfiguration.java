package io.github.wardops.ward.examples.spring;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Ward;
import io.github.wardops.ward.inventory.Addresses;
import io.github.wardops.ward.inventory.Check;
import io.github.wardops.ward.inventory.Device;
import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.cache.DeviceStateCache;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import io.github.wardops.ward.postgres.PostgresOptions;
import io.github.wardops.ward.postgres.PostgresStorage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires ward into the application context.
 *
 * <ul>
 *   <li>The {@link Ward} bean is built with the application's {@link MeterRegistry}, so ward's
 *       meters ({@code ward_*}) are exported wherever the application's are. ward does not close
 *       the registry: it is Spring's.</li>
 *   <li>{@link WardLifecycle} starts the engine when the context starts and closes it when the
 *       context stops. {@code destroyMethod = "close"} on the bean is the safety net for a context
 *       that is closed without being stopped; {@link Ward#close()} is idempotent.</li>
 *   <li>{@link DeviceStateSource} is the extension point {@code /devices} reads from (see there).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class WardConfiguration {

    /**
     * The engine, built but not started; {@link WardLifecycle} starts it.
     *
     * @param properties the example's settings
     * @param registry the application's meter registry
     * @return the engine
     * @throws InvalidConfigurationException when the settings are invalid, listing every problem
     */
    @Bean(destroyMethod = "close")
    public Ward ward(WardProperties properties, MeterRegistry registry, DeviceStateCache states, PostgresStorage storage) {
        List<String> problems = new ArrayList<>();
        List<Device> devices = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String address : properties.devices()) {
            if (!seen.add(address)) {
                problems.add("ward.example.devices: '" + address + "' is listed twice");
                continue;
            }
            try {
                devices.add(Device.builder(DeviceId.fromKey(address), address, Addresses.parse(address))
                        .check(Check.icmp(properties.interval()))
                        .build());
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add("ward.example.devices: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException("ward.example", problems);
        }
        return Ward.builder()
                .devices(devices)
                .listener(states)                                                       // /devices reads this cache
                .sink(storage.resultSink(), PostgresStorage.recommendedSinkOptions())   // results into the app's database
                .maxProbesInFlight(properties.maxProbesInFlight())
                .meterRegistry(registry)
                .build();
    }

    /**
     * The latest state of every device, in-process (L1 only). Give the builder a
     * {@code RedisTier} from {@code ward-redis} to share it with other instances.
     *
     * @param registry the application's meter registry
     * @return the cache
     */
    @Bean(destroyMethod = "close")
    public DeviceStateCache deviceStateCache(MeterRegistry registry) {
        return DeviceStateCache.builder(Duration.ofMinutes(2)).meterRegistry(registry).build();
    }

    /**
     * An embedded PostgreSQL, started unless {@code ward.example.embedded-database=false} (then
     * Boot's {@code spring.datasource.*} settings make the application's {@code DataSource}).
     *
     * @param properties the example's settings
     * @return the running database
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "ward.example.embedded-database", havingValue = "true", matchIfMissing = true)
    public EmbeddedDatabase embeddedDatabase(WardProperties properties) {
        return EmbeddedDatabase.start(properties.dataDirectory().resolve("pg"), 0);
    }

    /**
     * The application's {@code DataSource}, from the embedded database; the application's own
     * code (a {@code JdbcTemplate}, say) and ward's PostgreSQL sink share it.
     *
     * @param db the embedded database
     * @return the data source
     */
    @Bean
    @ConditionalOnProperty(name = "ward.example.embedded-database", havingValue = "true", matchIfMissing = true)
    public DataSource dataSource(EmbeddedDatabase db) {
        return db.dataSource();
    }

    /**
     * ward's storage over the application's {@code DataSource}. ward migrates its schema on open
     * and never closes a {@code DataSource} it was given: that stays Spring's.
     *
     * @param dataSource the application's data source
     * @param properties the example's settings
     * @return the storage
     */
    @Bean(destroyMethod = "close")
    public PostgresStorage postgresStorage(DataSource dataSource, WardProperties properties) {
        return PostgresStorage.open(PostgresOptions.builder()
                .dataSource(dataSource)
                .spoolDirectory(properties.dataDirectory().resolve("spool"))
                .build());
    }

    /**
     * Ties the engine to the context's lifecycle.
     *
     * @param ward the engine
     * @return the lifecycle bean
     */
    @Bean
    public WardLifecycle wardLifecycle(Ward ward) {
        return new WardLifecycle(ward);
    }

    /**
     * Where {@code /devices} reads device state from: ward's cache.
     *
     * @param ward the engine
     * @param states the cache
     * @return the source
     */
    @Bean
    public DeviceStateSource deviceStateSource(Ward ward, DeviceStateCache states) {
        return new CacheDeviceStateSource(ward, states);
    }

    /**
     * Starts ward when the context starts and closes it when the context stops. Its phase is 0,
     * below the web server's, so the engine runs before the server takes requests and stops only
     * after the server stopped taking them. Thread-safe (Spring calls it from one thread).
     */
    public static final class WardLifecycle implements SmartLifecycle {
        private final Ward ward;
        private volatile boolean running;

        WardLifecycle(Ward ward) {
            this.ward = ward;
        }

        @Override
        public void start() {
            ward.start();
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            ward.close();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return 0;
        }
    }
}
