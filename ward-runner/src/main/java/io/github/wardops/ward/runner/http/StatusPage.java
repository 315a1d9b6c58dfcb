package io.github.wardops.ward.runner.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.wardops.ward.runner.http.server.Request;
import io.github.wardops.ward.runner.http.server.Response;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /} and {@code /index.html}: the status page, a page from the jar whose data comes
 * from the API. For a request that may read the API ({@link Access#permits}: the runner's own
 * user without a token, or the right bearer token), the page carries the overview's first data
 * inline, so its first paint shows the fleet: the {@code /api/status?devices=problems},
 * {@code /api/summary} and {@code /api/silences} answers in one
 * {@code <script type="application/json" id="initial">} block, every {@code <}, {@code >} and
 * {@code &} in it written as a JSON {@code \\u} escape, so no value (a device name is user input)
 * can end the block or be read as markup. Any other request gets the page shell, without data,
 * which says it is loading until its first refresh. Thread-safe.
 */
final class StatusPage {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** Where the server puts the data block in {@code index.html}. */
    static final String MARK = "<!--ward:initial-->";
    /** The silences the page lists (its {@code /api/silences?limit=200}). */
    static final int SILENCES = 200;
    private static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String HTML = "text/html; charset=utf-8";
    private static final byte[] OPEN = "<script type=\"application/json\" id=\"initial\">".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "</script>\n".getBytes(StandardCharsets.US_ASCII);

    /** The page before the mark, the page after it, and the two together (the shell without data). */
    private final byte[] head;
    private final byte[] tail;
    private final byte[] shell;
    private final Access access;
    private final StatusResource status;
    private final SummaryResource summary;
    private final SilencesResource silences;
    private final FleetView fleet;

    /**
     * The page over these resources.
     *
     * @param access who may read the API
     * @param status the snapshot of counts, problem devices and open alerts
     * @param summary the counts per region and branch
     * @param silences the silences
     * @param fleet the fleet (for the age of a cluster's shared state)
     */
    StatusPage(Access access, StatusResource status, SummaryResource summary, SilencesResource silences, FleetView fleet) {
        this(loadPage(), access, status, summary, silences, fleet);
    }

    StatusPage(byte[] page, Access access, StatusResource status, SummaryResource summary, SilencesResource silences,
               FleetView fleet) {
        int at = indexOf(page, MARK.getBytes(StandardCharsets.US_ASCII));
        if (at < 0) {
            this.head = page;
            this.tail = new byte[0];
        } else {
            this.head = Arrays.copyOfRange(page, 0, at);
            this.tail = Arrays.copyOfRange(page, at + MARK.length(), page.length);
        }
        byte[] both = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, both, head.length, tail.length);
        this.shell = both;
        this.access = access;
        this.status = status;
        this.summary = summary;
        this.silences = silences;
        this.fleet = fleet;
    }

    /**
     * Sends the page, with a Content-Security-Policy that allows its inline script and style and
     * nothing from elsewhere (the data block is not a script it runs: its type is JSON).
     *
     * @param q the request
     * @param r the response
     * @throws IOException when writing fails
     */
    void get(Request q, Response r) throws IOException {
        r.header("Content-Security-Policy", CSP);
        if (!access.permits(q)) {
            r.send(200, HTML, shell);
            return;
        }
        // What may fail is read before the answer starts; the snapshot is taken while it is written.
        byte[] counted = summary.answer();
        List<SilencesResource.SilenceView> listed = null;
        boolean silencesRead = false;
        try {
            listed = silences.current(SILENCES);
            silencesRead = true;
        } catch (Exception e) {
            // The page reads them itself at once.
            LOG.warn("reading the silences for the status page failed: {}", e.toString());
        }
        Answers.fleetAge(r, fleet);
        OutputStream out = r.stream(200, HTML);
        out.write(head);
        out.write(OPEN);
        try (JsonGenerator g = Answers.generator(new ScriptData(out))) {
            g.writeStartObject();
            g.writeFieldName("status");
            status.write(g, true);
            g.writeFieldName("summary");
            g.writeRawValue(new String(counted, StandardCharsets.UTF_8));
            if (silencesRead) {
                g.writeFieldName("silences");
                Answers.write(g, listed);
            }
            g.writeEndObject();
        }
        out.write(CLOSE);
        out.write(tail);
    }

    /**
     * JSON made safe to sit in a {@code <script>} element: {@code <}, {@code >} and {@code &}
     * (which JSON has only inside strings) become {@code \\u003c}, {@code \\u003e} and
     * {@code \\u0026}, so the text can hold neither {@code </script>} nor {@code <!--}. Closing it
     * leaves the page's stream open.
     */
    static final class ScriptData extends FilterOutputStream {
        private static final byte[] LT = "\\u003c".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] GT = "\\u003e".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] AMP = "\\u0026".getBytes(StandardCharsets.US_ASCII);

        ScriptData(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            switch (b & 0xff) {
                case '<' -> out.write(LT);
                case '>' -> out.write(GT);
                case '&' -> out.write(AMP);
                default -> out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int from = off;
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                if (c == '<' || c == '>' || c == '&') {
                    out.write(b, from, i - from);
                    write(c);
                    from = i + 1;
                }
            }
            out.write(b, from, off + len - from);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static int indexOf(byte[] in, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= in.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (in[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] loadPage() {
        try (InputStream in = StatusPage.class.getResourceAsStream("/status/index.html")) {
            if (in == null) {
                return "<!doctype html><title>ward</title><p>The status page is missing from the jar.".getBytes(StandardCharsets.UTF_8);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
