package io.github.wardops.ward.internal.alert;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.internal.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What the chat receivers (Slack, Teams, Telegram) share: one JDK HTTP client that never follows
 * redirects, a JSON POST bounded by a timeout, and failures whose messages name the receiver and
 * the status but never the URL (it holds a token) nor the request body. A failure's cause is
 * dropped on purpose: the HTTP client's messages may name the URL. Thread-safe.
 */
abstract class ChatReceiver implements Notifier {
    /** The most of an answer's body read (Telegram's error description). */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final String name;
    private final Duration timeout;
    private final HttpClient client;
    /** Where to POST (it may hold a token: never in a message). */
    final URI uri;

    ChatReceiver(String name, Duration timeout, URI uri) {
        this.name = name;
        this.timeout = timeout;
        this.uri = uri;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public final String name() {
        return name;
    }

    /** An answer: status and (at most {@link #MAX_ANSWER_BYTES} of) body. */
    record Answer(int status, String body) {
    }

    /**
     * POSTs JSON; returns the answer whatever its status.
     *
     * @throws WardException naming the receiver, on a timeout or an I/O failure
     */
    final Answer post(URI uri, Object json) throws InterruptedException {
        byte[] bytes = Json.write(json).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_ANSWER_BYTES);
                return new Answer(r.statusCode(), new String(body, StandardCharsets.UTF_8));
            }
        } catch (HttpTimeoutException e) {
            throw new WardException(name + ": no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new WardException(name + ": the request failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Throws for a non-2xx answer, naming the receiver and the status. */
    final void check(Answer a) {
        if (a.status() / 100 != 2) {
            throw new WardException(name + " answered HTTP " + a.status());
        }
    }

    /**
     * The longest prefix of {@code lines} whose join (by {@code \n}) fits in {@code max} characters;
     * when some lines do not fit, the last kept line is followed by {@code cutNote}.
     */
    static List<String> fit(List<String> lines, int max, String cutNote) {
        return fit(lines, max, cutNote, String::length);
    }

    /** {@link #fit(List, int, String)} with the length measured by {@code length}. */
    static List<String> fit(List<String> lines, int max, String cutNote, ToIntFunction<String> length) {
        List<String> out = new ArrayList<>(lines.size());
        int used = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int need = length.applyAsInt(l) + (out.isEmpty() ? 0 : 1);
            boolean last = i == lines.size() - 1;
            int reserve = last ? 0 : length.applyAsInt(cutNote) + 1;
            if (used + need + reserve > max) {
                out.add(cutNote);
                return out;
            }
            out.add(l);
            used += need;
        }
        return out;
    }

    /** The JSON payload of a notification, as maps and lists. */
    abstract Object payload(Notification n);

    /** POSTs the payload; a non-2xx answer throws. */
    @Override
    public void send(Notification notification) throws InterruptedException {
        check(post(uri, payload(notification)));
    }

    @Override
    public void close() {
        client.close();
    }
}
