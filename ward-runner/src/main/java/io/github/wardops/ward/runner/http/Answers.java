package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the resources share to answer: the JSON media type, the one JSON codec every body goes
 * through, and the error answers. Stateless and thread-safe.
 */
final class Answers {
    /** The media type of every JSON answer. */
    static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Answers() {
    }

    /**
     * A value as JSON text.
     *
     * @param value a view record, a map or a list of them
     * @return the JSON
     * @throws IOException when the value cannot be written
     */
    static String json(Object value) throws IOException {
        return MAPPER.writeValueAsString(value);
    }

    /**
     * {@code 200} with a value as JSON.
     *
     * @param r the response
     * @param value the body
     * @throws IOException when writing fails
     */
    static void ok(Response r, Object value) throws IOException {
        r.send(200, JSON, json(value));
    }

    /**
     * {@code 200} with a JSON body written as it is made, for answers too large to build first.
     *
     * @param r the response
     * @return a generator over the body; closing it ends the answer
     * @throws IOException when writing fails
     */
    static JsonGenerator stream(Response r) throws IOException {
        return MAPPER.getFactory().createGenerator(r.stream(200, JSON), JsonEncoding.UTF8);
    }

    /**
     * A JSON generator over a stream; closing the generator closes the stream.
     *
     * @param out the stream
     * @return the generator
     * @throws IOException when it cannot be made
     */
    static JsonGenerator generator(java.io.OutputStream out) throws IOException {
        return MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
    }

    /**
     * Writes one value into a streamed body.
     *
     * @param g the generator
     * @param value the value
     * @throws IOException when writing fails
     */
    static void write(JsonGenerator g, Object value) throws IOException {
        MAPPER.writeValue(g, value);
    }

    /**
     * Parses a request body.
     *
     * @param body the bytes
     * @return the tree, or {@code null} for an empty body
     * @throws IOException when it is not JSON
     */
    static JsonNode read(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    /** The header that says how old the shared part of a cluster-mode answer is. */
    static final String FLEET_AGE = "X-Ward-Fleet-Age";

    /**
     * In cluster mode ({@link FleetView#shared()}), sets {@link #FLEET_AGE}: the seconds since the
     * shared state was last read (three decimals), or {@code unknown} when it has never been read;
     * a runner alone sends no such header.
     *
     * @param r the response, before its status is sent
     * @param fleet the fleet
     */
    static void fleetAge(Response r, FleetView fleet) {
        if (fleet.shared()) {
            r.header(FLEET_AGE, fleet.age().map(a -> String.format(java.util.Locale.ROOT, "%.3f", a.toNanos() / 1e9))
                    .orElse("unknown"));
        }
    }

    /**
     * {@code 400 {"error": message}}.
     *
     * @param r the response
     * @param message what is wrong with the request
     * @throws IOException when writing fails
     */
    static void badRequest(Response r, String message) throws IOException {
        error(r, 400, message);
    }

    /**
     * For a route that takes no query parameters: {@code 400} naming every parameter the request
     * has (or why its query cannot be read).
     *
     * @param q the request
     * @param r the response
     * @return whether the request was refused (the answer is sent); {@code false} when it has no parameters
     * @throws IOException when writing fails
     */
    static boolean refuseParameters(Request q, Response r) throws IOException {
        List<String> problems = new ArrayList<>();
        InterfacesResource.unknownParameters(q.rawQuery(), "none", problems);
        if (problems.isEmpty()) {
            return false;
        }
        badRequest(r, String.join("; ", problems));
        return true;
    }

    /**
     * {@code STATUS {"error": message}}.
     *
     * @param r the response
     * @param status the status code
     * @param message the message
     * @throws IOException when writing fails
     */
    static void error(Response r, int status, String message) throws IOException {
        r.send(status, JSON, json(Map.of("error", message)));
    }
}
