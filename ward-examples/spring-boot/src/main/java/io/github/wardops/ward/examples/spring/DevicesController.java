package io.github.wardops.ward.examples.spring;

import io.github.wardops.ward.inventory.DeviceId;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /devices} and {@code GET /devices/{id}}: device state from the
 * {@link DeviceStateSource}. Thread-safe.
 */
@RestController
public class DevicesController {
    private final DeviceStateSource source;

    /**
     * Serves from the given source.
     *
     * @param source the device state source
     */
    public DevicesController(DeviceStateSource source) {
        this.source = source;
    }

    /**
     * Every device with its status and latest results.
     *
     * @return the devices
     */
    @GetMapping("/devices")
    public List<DeviceView> devices() {
        return source.devices();
    }

    /**
     * One device.
     *
     * @param id the device's UUID
     * @return the device
     * @throws ResponseStatusException 400 for an id that is not a UUID, 404 for an unknown device
     */
    @GetMapping("/devices/{id}")
    public DeviceView device(@PathVariable("id") String id) {
        DeviceId deviceId;
        try {
            deviceId = DeviceId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "device id must be a UUID");
        }
        return source.device(deviceId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such device"));
    }
}
