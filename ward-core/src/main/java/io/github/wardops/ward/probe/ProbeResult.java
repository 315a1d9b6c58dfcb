package io.github.wardops.ward.probe;

import io.github.wardops.ward.inventory.DeviceId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of one probe: the target was {@link Up up}, {@link Down down}, or its state is
 * {@link Unknown unknown} (ward could not tell: a local error of ward's own, a prober failure).
 * A probe this host could not send because its packet filter refused it or there is no route is
 * {@link Down down} ({@link DownReason#LOCAL_FIREWALL}, {@link DownReason#NETWORK_UNREACHABLE}...),
 * not unknown. Immutable and thread-safe.
 *
 * <p>No component of any case is {@code null}: each case checks its components when it is built.
 */
public sealed interface ProbeResult permits ProbeResult.Up, ProbeResult.Down, ProbeResult.Unknown {

    /**
     * The probed device.
     *
     * @return its id
     */
    DeviceId device();

    /**
     * The check's name.
     *
     * @return the name, such as {@code "icmp"}
     */
    String check();

    /**
     * The check's type.
     *
     * @return the type, such as {@code "icmp"}
     */
    String type();

    /**
     * When the probe started (UTC).
     *
     * @return the start time
     */
    Instant at();

    /**
     * What was measured (for a down ICMP target, the echoes sent and none received).
     *
     * @return the measurement, {@link Measurement#NONE} when there is none
     */
    Measurement measurement();

    /**
     * The target answered.
     *
     * @param device the device
     * @param check the check name
     * @param type the check type
     * @param at the start time, kept to the microsecond (the precision of storage)
     * @param latency the time the answer took (an average RTT, a connect time)
     * @param measurement what was measured
     */
    record Up(DeviceId device, String check, String type, Instant at, Duration latency, Measurement measurement)
            implements ProbeResult {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code device}, {@code check}, {@code type}, {@code at}, {@code latency} or {@code measurement} is null
         */
        public Up {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(type, "type");
            at = io.github.wardops.ward.state.DeviceState.micros(Objects.requireNonNull(at, "at"));
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(measurement, "measurement");
        }
    }

    /**
     * The target did not answer, or refused, or this host could not send the probe to it (its
     * packet filter refused it, or there is no route).
     *
     * @param device the device
     * @param check the check name
     * @param type the check type
     * @param at the start time, kept to the microsecond (the precision of storage)
     * @param reason why it is down
     * @param detail a short human-readable detail (never a secret); may be empty
     * @param measurement what was measured
     */
    record Down(DeviceId device, String check, String type, Instant at, DownReason reason, String detail,
                Measurement measurement) implements ProbeResult {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code device}, {@code check}, {@code type}, {@code at}, {@code reason}, {@code detail} or {@code measurement} is null
         */
        public Down {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(type, "type");
            at = io.github.wardops.ward.state.DeviceState.micros(Objects.requireNonNull(at, "at"));
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(measurement, "measurement");
        }
    }

    /**
     * ward could not tell whether the target is up: the prober failed, or the check could not run.
     *
     * @param device the device
     * @param check the check name
     * @param type the check type
     * @param at the start time, kept to the microsecond (the precision of storage)
     * @param detail what went wrong (never a secret)
     */
    record Unknown(DeviceId device, String check, String type, Instant at, String detail) implements ProbeResult {
        /**
         * Checks the components; each is described on the record.
         *
         * @throws NullPointerException if {@code device}, {@code check}, {@code type}, {@code at} or {@code detail} is null
         */
        public Unknown {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(type, "type");
            at = io.github.wardops.ward.state.DeviceState.micros(Objects.requireNonNull(at, "at"));
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Measurement measurement() {
            return Measurement.NONE;
        }
    }
}
