package io.github.wardops.ward.bench.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} for benchmarks: a free loopback port, a temporary directory, no
 * persistence, a 256 MB limit with {@code volatile-ttl} (the settings docs/cache.md recommends).
 */
final class LocalRedis implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    LocalRedis() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("ward-bench-redis");
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--maxmemory", "256mb", "--maxmemory-policy", "volatile-ttl",
                "--loglevel", "warning").redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                if (command("PING").equals("+PONG")) {
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IOException("redis-server did not start (is it installed?)", e);
                }
                Thread.sleep(20);
            }
        }
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Sends one inline command; returns the first line of the reply, then the next line for a bulk string. */
    String command(String line) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String first = readLine(in);
            return first.startsWith("$") && !first.equals("$-1") ? readBulk(in, Integer.parseInt(first.substring(1))) : first;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\r') {
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    private static String readBulk(InputStream in, int len) throws IOException {
        byte[] b = in.readNBytes(len);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
