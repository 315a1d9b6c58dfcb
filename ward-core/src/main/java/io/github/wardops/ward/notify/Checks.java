package io.github.wardops.ward.notify;

import io.github.wardops.ward.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validation shared by the receivers' options. Stateless. */
final class Checks {
    static final Duration MIN_TIMEOUT = Duration.ofMillis(1);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Checks() {
    }

    static void name(String name, List<String> problems) {
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("name = " + name + ": must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    static void timeout(String what, Duration timeout, List<String> problems) {
        if (timeout == null || timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            problems.add(what + " = " + timeout + ": must be 1 ms-5 min");
        }
    }

    /** Checks a secret URL; the problem never shows the value, which holds a token. */
    static URI secretUrl(String what, Secret url, List<String> problems) {
        if (url == null || url.isEmpty()) {
            problems.add(what + ": must be set");
            return null;
        }
        URI u = null;
        try {
            u = URI.create(url.reveal().strip());
        } catch (IllegalArgumentException e) {
            // the exception's message quotes the value: not shown
        }
        if (u == null || u.getScheme() == null || u.getHost() == null
                || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT))) {
            problems.add(what + ": must be an absolute http or https URL (the value is not shown: it holds a token)");
            return null;
        }
        return u;
    }

    static void plainUrl(String what, URI u, List<String> problems) {
        if (u == null || u.getScheme() == null || u.getHost() == null
                || !List.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT))
                || u.getRawQuery() != null || u.getRawFragment() != null) {
            problems.add(what + " = " + u + ": must be an absolute http or https URL without query or fragment");
        }
    }
}
