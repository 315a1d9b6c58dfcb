package io.github.wardops.ward.victoriametrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A minimal HTTP/1.1 server on loopback for tests: one request per connection (it answers with
 * {@code Connection: close}), a {@code Content-Length} body, any status: all the sink needs,
 * without the test module reading {@code jdk.httpserver}.
 */
final class TinyHttpServer implements AutoCloseable {
    /** A request as received: the path, the headers (lower-case names) and the raw body. */
    record Exchange(String method, String path, Map<String, String> headers, byte[] body) {
    }

    private final ServerSocket socket;
    private final Thread acceptor;

    TinyHttpServer(Function<Exchange, Integer> handler) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("tiny-http").start(() -> {
            while (!socket.isClosed()) {
                try (Socket c = socket.accept()) {
                    serve(c, handler);
                } catch (IOException e) {
                    // closed, or the client went away
                }
            }
        });
    }

    int port() {
        return socket.getLocalPort();
    }

    private static void serve(Socket c, Function<Exchange, Integer> handler) throws IOException {
        InputStream in = c.getInputStream();
        String requestLine = readLine(in);
        if (requestLine == null) {
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        String[] parts = requestLine.split(" ");
        int status = handler.apply(new Exchange(parts[0], parts[1], headers, body));
        byte[] answer = status == 204 ? new byte[0] : ("status " + status).getBytes(StandardCharsets.UTF_8);
        OutputStream out = c.getOutputStream();
        out.write(("HTTP/1.1 " + status + " X\r\n" + (status == 204 ? "" : "Content-Length: " + answer.length + "\r\n")
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(answer);
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int ch;
        while ((ch = in.read()) != -1) {
            if (ch == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(ch);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws Exception {
        socket.close();
        acceptor.join();
    }
}
