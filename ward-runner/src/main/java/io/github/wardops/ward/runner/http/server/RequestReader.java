package io.github.wardops.ward.runner.http.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads requests from one connection, strictly (RFC 9112): a request line of visible ASCII,
 * lines ending in CRLF, no bare CR, no obs-fold, header names that are tokens, one
 * {@code Content-Length} at most, no {@code Transfer-Encoding}, one {@code Host} (HTTP/1.1). Every
 * read has a deadline, set as the socket timeout of each {@code read} from what is left of it, so a
 * client that trickles a byte at a time is still cut off. Bytes after a request stay buffered for
 * the next one (pipelining). Confined to the connection's thread.
 */
final class RequestReader {
    private static final int MAX_EMPTY_LINES = 4;
    private final Socket socket;
    private final InputStream in;
    private final byte[] buf = new byte[HttpLimits.MAX_HEADER_BYTES + 64];
    private int pos;
    private int lim;
    private boolean started;

    /**
     * The parsed head of a request.
     *
     * @param method the method
     * @param rawPath the path, percent-encoded
     * @param rawQuery the query, or {@code null}
     * @param segments the path's segments, decoded
     * @param http11 HTTP/1.1 (else 1.0)
     * @param headers the header fields, in order
     * @param host the host the request is for (from an absolute target, else the {@code Host} header), or {@code null}
     * @param contentLength the body's length (0 when none)
     * @param expectContinue whether the client waits for {@code 100 Continue}
     * @param close whether the connection closes after the answer
     */
    record Head(String method, String rawPath, String rawQuery, List<String> segments, boolean http11,
                List<Map.Entry<String, String>> headers, String host, int contentLength, boolean expectContinue,
                boolean close) {
    }

    RequestReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Whether any byte of the current request has arrived. */
    boolean started() {
        return started || pos < lim;
    }

    /**
     * Waits for the first byte of the next request.
     *
     * @return {@code false} when the client closed the connection
     * @throws SocketTimeoutException when nothing came within the deadline
     */
    boolean awaitRequest(long deadlineNanos) throws IOException {
        started = false;
        if (pos < lim) {
            return true;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("idle");
        }
        socket.setSoTimeout(millis(left));
        return fillOnce();
    }

    /**
     * Reads the request line and the headers, all before the deadline.
     *
     * @throws HttpError for a request that breaks a rule or a limit, or is late ({@code 408})
     * @throws EOFException when the client closed the connection
     */
    Head readHead(long deadlineNanos) throws IOException, HttpError {
        started = pos < lim;
        byte[] line;
        int empty = 0;
        while ((line = readLine(HttpLimits.MAX_REQUEST_LINE_BYTES, deadlineNanos, true)).length == 0) {
            if (++empty > MAX_EMPTY_LINES) {
                throw HttpError.malformed("empty lines instead of a request line");
            }
        }
        started = true;
        String[] parts = requestLine(line);
        String method = parts[0];
        String target = parts[1];
        boolean http11 = parts[2].equals("HTTP/1.1");

        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int budget = HttpLimits.MAX_HEADER_BYTES;
        while (true) {
            line = readLine(budget - 2, deadlineNanos, false);
            budget -= line.length + 2;
            if (line.length == 0) {
                break;
            }
            if (headers.size() == HttpLimits.MAX_HEADERS) {
                throw new HttpError(431, HttpMeters.TOO_LARGE, "more than " + HttpLimits.MAX_HEADERS + " header fields");
            }
            headers.add(field(line));
        }

        String authority = null;
        String originForm = target;
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            // absolute-form: the target's authority wins over Host (RFC 9112 3.2.2)
            int slash = indexOfAny(target, 7, "/?");
            authority = target.substring(7, slash < 0 ? target.length() : slash);
            originForm = slash < 0 ? "/" : target.charAt(slash) == '?' ? "/" + target.substring(slash) : target.substring(slash);
            if (authority.isEmpty() || authority.indexOf('@') >= 0) {
                throw HttpError.malformed("the request target's authority is empty or holds user information");
            }
        } else if (!target.startsWith("/")) {
            throw HttpError.malformed("the request target must be a path starting with / (or an absolute http:// URL)");
        }
        int q = originForm.indexOf('?');
        String rawPath = q < 0 ? originForm : originForm.substring(0, q);
        String rawQuery = q < 0 ? null : originForm.substring(q + 1);
        checkPath(rawPath);
        if (rawQuery != null && rawQuery.indexOf('#') >= 0) {
            throw HttpError.malformed("the request target must not hold a fragment (#)");
        }
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.substring(1).split("/", -1)) {
            segments.add(decode(s));
        }

        List<String> hosts = values(headers, "host");
        if (http11 ? hosts.size() != 1 : hosts.size() > 1) {
            throw HttpError.malformed(http11 ? "an HTTP/1.1 request needs exactly one Host header" : "more than one Host header");
        }
        String host = authority != null ? authority : hosts.isEmpty() ? null : hosts.get(0);

        List<String> lengths = values(headers, "content-length");
        List<String> codings = values(headers, "transfer-encoding");
        if (!codings.isEmpty() && !lengths.isEmpty()) {
            throw HttpError.malformed("both Transfer-Encoding and Content-Length");
        }
        if (!codings.isEmpty()) {
            throw new HttpError(501, HttpMeters.NOT_IMPLEMENTED,
                    "Transfer-Encoding is not supported on requests: send the body with a Content-Length");
        }
        if (lengths.size() > 1) {
            throw HttpError.malformed("more than one Content-Length");
        }
        int length = 0;
        if (lengths.size() == 1) {
            String v = lengths.get(0);
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw HttpError.malformed("Content-Length is not a number");
            }
            long n = Long.parseLong(v);
            if (n > HttpLimits.MAX_BODY_BYTES) {
                throw new HttpError(413, HttpMeters.TOO_LARGE, "the body is larger than " + HttpLimits.MAX_BODY_BYTES + " bytes");
            }
            length = (int) n;
        }
        boolean expectContinue = false;
        List<String> expect = values(headers, "expect");
        if (!expect.isEmpty()) {
            if (expect.size() > 1 || !expect.get(0).equalsIgnoreCase("100-continue")) {
                throw new HttpError(417, HttpMeters.NOT_IMPLEMENTED, "only Expect: 100-continue is supported");
            }
            expectContinue = http11;
        }
        boolean close = !http11;
        for (String c : values(headers, "connection")) {
            for (String token : c.split(",")) {
                if (token.strip().equalsIgnoreCase("close")) {
                    close = true;
                }
            }
        }
        return new Head(method, rawPath, rawQuery, segments, http11, headers, host, length, expectContinue, close);
    }

    /**
     * Reads a body of exactly {@code length} bytes before the deadline.
     *
     * @throws HttpError {@code 408} when it is late
     * @throws EOFException when the client closed the connection first
     */
    byte[] readBody(int length, long deadlineNanos) throws IOException, HttpError {
        byte[] body = new byte[length];
        int have = Math.min(length, lim - pos);
        System.arraycopy(buf, pos, body, 0, have);
        pos += have;
        while (have < length) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw bodyLate();
            }
            socket.setSoTimeout(millis(left));
            int n;
            try {
                n = in.read(body, have, length - have);
            } catch (SocketTimeoutException e) {
                throw bodyLate();
            }
            if (n < 0) {
                throw new EOFException("the client closed the connection in the body");
            }
            have += n;
        }
        return body;
    }

    private static HttpError bodyLate() {
        return new HttpError(408, HttpMeters.BODY_TIMEOUT, "the body did not arrive in time (http-body-timeout)");
    }

    private static HttpError headLate() {
        return new HttpError(408, HttpMeters.HEADER_TIMEOUT,
                "the request line and headers did not arrive in time (http-header-timeout)");
    }

    /** One line without its CRLF; a line longer than {@code max} is refused. */
    private byte[] readLine(int max, long deadlineNanos, boolean requestLine) throws IOException, HttpError {
        int scanned = pos;
        while (true) {
            for (int i = scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i - 1;
                    if (end < pos || buf[end] != '\r') {
                        throw HttpError.malformed("a line does not end in CRLF");
                    }
                    if (end - pos > max) {
                        throw tooLong(requestLine);
                    }
                    for (int j = pos; j < end; j++) {
                        if (buf[j] == '\r') {
                            throw HttpError.malformed("a bare CR inside a line");
                        }
                    }
                    byte[] line = Arrays.copyOfRange(buf, pos, end);
                    pos = i + 1;
                    return line;
                }
            }
            scanned = lim;
            if (lim - pos > max + 1) {
                throw tooLong(requestLine);
            }
            if (lim == buf.length) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                scanned -= pos;
                lim -= pos;
                pos = 0;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw headLate();
            }
            socket.setSoTimeout(millis(left));
            try {
                if (!fillOnce()) {
                    throw new EOFException("the client closed the connection in the request head");
                }
            } catch (SocketTimeoutException e) {
                throw headLate();
            }
            started = true;
        }
    }

    private static HttpError tooLong(boolean requestLine) {
        return requestLine
                ? new HttpError(414, HttpMeters.TOO_LARGE, "the request line is longer than " + HttpLimits.MAX_REQUEST_LINE_BYTES + " bytes")
                : new HttpError(431, HttpMeters.TOO_LARGE, "the header section is larger than " + HttpLimits.MAX_HEADER_BYTES + " bytes");
    }

    private boolean fillOnce() throws IOException {
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            return false;
        }
        lim += n;
        return true;
    }

    private static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999)));
    }

    /** Method, target and version, each checked. */
    private static String[] requestLine(byte[] line) throws HttpError {
        for (byte b : line) {
            if (b != ' ' && (b < 0x21 || b > 0x7e)) {
                throw HttpError.malformed("the request line holds a byte that is not visible ASCII");
            }
        }
        String s = new String(line, StandardCharsets.US_ASCII);
        int a = s.indexOf(' ');
        int b = a < 0 ? -1 : s.indexOf(' ', a + 1);
        if (a <= 0 || b < 0 || b == a + 1 || b == s.length() - 1 || s.indexOf(' ', b + 1) >= 0) {
            throw HttpError.malformed("the request line is not METHOD SP TARGET SP HTTP/1.1");
        }
        String method = s.substring(0, a);
        String target = s.substring(a + 1, b);
        String version = s.substring(b + 1);
        if (!method.chars().allMatch(RequestReader::tchar)) {
            throw HttpError.malformed("the method is not a token");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            if (version.matches("HTTP/[0-9]\\.[0-9]")) {
                throw new HttpError(505, HttpMeters.MALFORMED, "only HTTP/1.1 and HTTP/1.0 are supported");
            }
            throw HttpError.malformed("the request line does not end in HTTP/1.1 or HTTP/1.0");
        }
        return new String[] {method, target, version};
    }

    /** A header field: a token name, a colon, the value without surrounding whitespace. */
    private static Map.Entry<String, String> field(byte[] line) throws HttpError {
        if (line[0] == ' ' || line[0] == '\t') {
            throw HttpError.malformed("a header line starts with whitespace (obs-fold)");
        }
        int colon = -1;
        for (int i = 0; i < line.length; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
            if (!tchar(line[i] & 0xff)) {
                throw HttpError.malformed("a header name is not a token");
            }
        }
        if (colon <= 0) {
            throw HttpError.malformed("a header line without a name and a colon");
        }
        int from = colon + 1;
        int to = line.length;
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        for (int i = from; i < to; i++) {
            int c = line[i] & 0xff;
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw HttpError.malformed("a header value holds a control character");
            }
        }
        return Map.entry(new String(line, 0, colon, StandardCharsets.US_ASCII),
                new String(line, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static List<String> values(List<Map.Entry<String, String>> headers, String lowerName) {
        List<String> out = new ArrayList<>(1);
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().toLowerCase(Locale.ROOT).equals(lowerName)) {
                out.add(h.getValue());
            }
        }
        return out;
    }

    /** A path of pchars, '/' and valid percent escapes. */
    private static void checkPath(String path) throws HttpError {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
                    throw HttpError.malformed("a bad percent escape in the path");
                }
                i += 2;
            } else if (!(Character.isLetterOrDigit(c) && c < 0x80) && "-._~!$&'()*+,;=:@/".indexOf(c) < 0) {
                throw HttpError.malformed("the path holds a character that must be percent-encoded");
            }
        }
    }

    /** Percent-decodes one segment as UTF-8; bytes that are not UTF-8 are refused. */
    private static String decode(String segment) throws HttpError {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteBuffer bytes = ByteBuffer.allocate(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                bytes.put((byte) (hex(segment.charAt(i + 1)) << 4 | hex(segment.charAt(i + 2))));
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw HttpError.malformed("the path is not percent-encoded UTF-8");
        }
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 9110 tchar. */
    private static boolean tchar(int c) {
        return c < 0x80 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }
}
