package io.github.wardops.ward.postgres.internal.db;

import io.github.wardops.ward.internal.support.Json;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flat string-to-string JSON objects stored in {@code devices.labels} and
 * {@code interfaces.attributes}, on ward's shared JSON codec. Stateless.
 */
public final class Labels {
    private Labels() {
    }

    /**
     * Writes a flat object.
     *
     * @param map the labels
     * @return the JSON text
     */
    public static String write(Map<String, String> map) {
        return Json.write(map);
    }

    /**
     * Reads a flat object as PostgreSQL prints jsonb. Values that are not strings are kept as
     * their JSON text (numbers with their digits, {@code true}, {@code false}, {@code null});
     * nested values are rejected.
     *
     * @param text the JSON text
     * @return the labels, in text order
     * @throws IllegalArgumentException when the text is not a flat object
     */
    public static Map<String, String> read(String text) {
        Object doc;
        try {
            doc = Json.reader().withExactNumbers().parse(text);
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException("labels: " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("labels: expected a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object v = e.getValue();
            String s = switch (v) {
                case null -> "null";
                case String str -> str;
                case BigDecimal n -> n.toPlainString();
                case Boolean b -> b.toString();
                case Map<?, ?> x -> throw new IllegalArgumentException("labels: nested values are not supported");
                case List<?> x -> throw new IllegalArgumentException("labels: nested values are not supported");
                default -> String.valueOf(v);
            };
            out.put((String) e.getKey(), s);
        }
        return out;
    }
}
