package io.github.wardops.ward.runner.http.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes a request to its handler by method and path. A pattern is a path whose segments are
 * literals or parameters ({@code /api/devices/{id}}), matched against the request's decoded
 * segments. A {@code GET} route also answers {@code HEAD}. A path that matches no route gets
 * {@code 404}; one that matches with another method {@code 405} with {@code Allow}. A guard (the
 * bearer token) runs before routing.
 *
 * <p>Routes are handled in the server's shared slots ({@code http-max-concurrent-requests}),
 * except <em>light</em> ones ({@link #getLight}): cheap answers that must stay available under
 * load, such as liveness. Add every route before the server starts; after that the router is only
 * read, from any thread.
 */
public final class Router {
    /** Runs before routing; answers and returns {@code false} to stop the request there. */
    @FunctionalInterface
    public interface Guard {
        /**
         * Decides whether a request goes on to its route.
         *
         * @param request the request
         * @param response where to answer when it does not
         * @return {@code true} to go on
         * @throws IOException when answering fails
         */
        boolean pass(Request request, Response response) throws IOException;
    }

    private record Route(String method, String[] pattern, Handler handler, boolean light) {
    }

    /** What to run for a request, and whether it needs a slot. */
    record Match(Handler handler, boolean light) {
    }

    private final List<Route> routes = new ArrayList<>();
    private Guard guard = (q, r) -> true;

    /** An empty router: every path answers {@code 404}. */
    public Router() {
    }

    /**
     * Adds a {@code GET} (and {@code HEAD}) route, handled in a shared slot.
     *
     * @param pattern such as {@code /api/devices/{id}}
     * @param handler the handler
     * @return this
     */
    public Router get(String pattern, Handler handler) {
        return add("GET", pattern, handler, false);
    }

    /**
     * Adds a {@code GET} (and {@code HEAD}) route answered outside the shared slots: for cheap
     * answers that must not depend on load.
     *
     * @param pattern the pattern
     * @param handler the handler; must be quick and bounded
     * @return this
     */
    public Router getLight(String pattern, Handler handler) {
        return add("GET", pattern, handler, true);
    }

    /**
     * Adds a {@code POST} route, handled in a shared slot.
     *
     * @param pattern the pattern
     * @param handler the handler
     * @return this
     */
    public Router post(String pattern, Handler handler) {
        return add("POST", pattern, handler, false);
    }

    /**
     * Adds a {@code DELETE} route, handled in a shared slot; the guard admits it as it admits a
     * {@code POST}.
     *
     * @param pattern the pattern
     * @param handler the handler
     * @return this
     */
    public Router delete(String pattern, Handler handler) {
        return add("DELETE", pattern, handler, false);
    }

    /**
     * Sets the guard that runs before routing (outside the slots: it must be quick).
     *
     * @param guard the guard
     * @return this
     */
    public Router guard(Guard guard) {
        this.guard = guard;
        return this;
    }

    private Router add(String method, String pattern, Handler handler, boolean light) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a pattern starts with /: " + pattern);
        }
        routes.add(new Route(method, pattern.substring(1).split("/", -1), handler, light));
        return this;
    }

    Guard guard() {
        return guard;
    }

    /** The route of the request (its parameters set on it), or a light handler answering 404 or 405. */
    Match match(Request request) {
        List<String> segments = request.segments();
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Map<String, String> params = bind(r.pattern(), segments);
            if (params == null) {
                continue;
            }
            String m = request.method();
            if (r.method().equals(m) || (r.method().equals("GET") && m.equals("HEAD"))) {
                request.params(params);
                return new Match(r.handler(), r.light());
            }
            allowed.add(r.method());
            if (r.method().equals("GET")) {
                allowed.add("HEAD");
            }
        }
        if (allowed.isEmpty()) {
            return new Match((q, res) -> res.send(404, Json.TYPE, "{\"error\":\"not found\",\"path\":"
                    + Json.quote(q.rawPath()) + "}"), true);
        }
        List<String> allow = List.copyOf(allowed);
        return new Match((q, res) -> {
            res.header("Allow", String.join(", ", allow));
            StringBuilder sb = new StringBuilder("{\"error\":\"method not allowed\",\"allow\":[");
            for (int i = 0; i < allow.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(Json.quote(allow.get(i)));
            }
            res.send(405, Json.TYPE, sb.append("]}").toString());
        }, true);
    }

    private static Map<String, String> bind(String[] pattern, List<String> segments) {
        if (pattern.length != segments.size()) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), segments.get(i));
            } else if (!p.equals(segments.get(i))) {
                return null;
            }
        }
        return params;
    }
}
