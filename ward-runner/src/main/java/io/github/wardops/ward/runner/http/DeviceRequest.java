package io.github.wardops.ward.runner.http;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The start every request about one device's stored past shares ({@code /api/devices/{id}/history},
 * {@code /events}, {@code /interfaces...}): the id from the path and the query parsed with every
 * problem collected, then one {@code 400} naming them all, a {@code 404} for a device that is not
 * in the inventory, and a {@code 503} when the store the request needs is not configured. Not
 * thread-safe: one a request.
 */
final class DeviceRequest {
    private final List<String> problems = new ArrayList<>();
    private final DeviceId id;

    /**
     * Parses the {@code id} path parameter of the request.
     *
     * @param request the request
     */
    DeviceRequest(Request request) {
        this.id = HistoryResource.deviceId(request.param("id"), problems);
    }

    /** @return the device id, or {@code null} when it was bad (then {@link #admit} answers 400) */
    DeviceId id() {
        return id;
    }

    /** @return the problems found so far, to which a caller may add its own */
    List<String> problems() {
        return problems;
    }

    /**
     * Runs a parser, keeping its {@link IllegalArgumentException} as a problem.
     *
     * @param parser the parser
     * @param <T> what it parses to
     * @return its result, or {@code null} when it failed
     */
    <T> T parse(Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /**
     * Answers the request when it cannot go on: {@code 400} naming every problem, {@code 404} for a
     * device not in the inventory, {@code 503} when {@code store} is {@code null}.
     *
     * @param fleet the fleet, whose inventory is asked
     * @param r the response
     * @param store what the request reads from, or {@code null} when it needs none
     * @param needsStore the 503's message when {@code store} is needed and {@code null}
     * @param storeRequired whether the request needs {@code store}
     * @return {@code true} when the request may go on (nothing was sent)
     * @throws IOException when the answer cannot be sent
     */
    boolean admit(FleetView fleet, Response r, Object store, String needsStore, boolean storeRequired) throws IOException {
        if (!problems.isEmpty()) {
            Answers.badRequest(r, String.join("; ", problems));
            return false;
        }
        if (fleet.device(id).isEmpty()) {
            Answers.error(r, 404, "no device " + id);
            return false;
        }
        if (storeRequired && store == null) {
            Answers.error(r, 503, needsStore);
            return false;
        }
        return true;
    }

    /**
     * {@link #admit(FleetView, Response, Object, String, boolean)} for a request that needs {@code store}.
     *
     * @param fleet the fleet
     * @param r the response
     * @param store what the request reads from
     * @param needsStore the 503's message when it is {@code null}
     * @return {@code true} when the request may go on
     * @throws IOException when the answer cannot be sent
     */
    boolean admit(FleetView fleet, Response r, Object store, String needsStore) throws IOException {
        return admit(fleet, r, store, needsStore, true);
    }

    /**
     * {@link #admit(FleetView, Response, Object, String, boolean)} for a request that needs no store.
     *
     * @param fleet the fleet
     * @param r the response
     * @return {@code true} when the request may go on
     * @throws IOException when the answer cannot be sent
     */
    boolean admit(FleetView fleet, Response r) throws IOException {
        return admit(fleet, r, null, null, false);
    }
}
