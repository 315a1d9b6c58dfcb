package io.github.wardops.ward.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * GreenMail's SMTP has no STARTTLS: this loopback front adds it. It relays the conversation to
 * GreenMail line by line, adds {@code STARTTLS} to the {@code EHLO} answer, answers
 * {@code STARTTLS} itself, upgrades the client's connection to TLS with its own certificate, and
 * from then on relays bytes, so the mail still reaches GreenMail. One connection at a time.
 */
final class StartTlsProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final SSLContext tls;
    private final Thread acceptor;
    volatile int upgrades;

    StartTlsProxy(int upstreamPort, SSLContext tls) throws IOException {
        this.server = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        this.upstreamPort = upstreamPort;
        this.tls = tls;
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket client = server.accept();
                 Socket upstream = new Socket(InetAddress.getByName("127.0.0.1"), upstreamPort)) {
                serve(client, upstream);
            } catch (IOException e) {
                // the client went away, or the proxy closed
            }
        }
    }

    private void serve(Socket client, Socket upstream) throws IOException {
        InputStream cin = client.getInputStream();
        OutputStream cout = client.getOutputStream();
        InputStream uin = upstream.getInputStream();
        OutputStream uout = upstream.getOutputStream();
        write(cout, reply(uin));
        while (true) {
            String line = readLine(cin);
            if (line == null) {
                return;
            }
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            if (verb.equals("STAR")) {
                write(cout, List.of("220 2.0.0 Ready to start TLS"));
                SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(client, "127.0.0.1", client.getPort(), true);
                s.setUseClientMode(false);
                s.startHandshake();
                upgrades++;
                Thread up = Thread.ofVirtual().start(() -> pipe(uin, sOut(s)));
                pipe(s.getInputStream(), uout);
                try {
                    up.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            write(uout, List.of(line));
            List<String> answer = reply(uin);
            if (verb.equals("EHLO")) {
                List<String> withTls = new ArrayList<>();
                for (String a : answer) {
                    withTls.add(a.substring(0, 3) + "-" + a.substring(4));
                }
                withTls.add("250 STARTTLS");
                answer = withTls;
            }
            write(cout, answer);
        }
    }

    private static OutputStream sOut(SSLSocket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pipe(InputStream in, OutputStream out) {
        try {
            in.transferTo(out);
            out.flush();
        } catch (IOException e) {
            // one side closed
        }
    }

    /** An SMTP reply: lines until one whose fourth character is a space. */
    private static List<String> reply(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine(in);
            if (l == null) {
                throw new IOException("upstream closed");
            }
            lines.add(l);
            if (l.length() < 4 || l.charAt(3) == ' ') {
                return lines;
            }
        }
    }

    private static void write(OutputStream out, List<String> lines) throws IOException {
        for (String l : lines) {
            out.write((l + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
    }

    /** One CRLF line, read byte by byte so that nothing is buffered past it (the TLS upgrade follows). */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
