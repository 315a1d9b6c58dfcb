package io.github.wardops.ward.postgres.internal.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tar reader refuses every entry it was not built for, naming it. */
class TarReaderTest {

    /** One ustar header (and content) with a correct checksum. */
    private static byte[] entry(String name, char type, String link, byte[] content) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000755");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", content.length));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 157, link);
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }

    private static TarReader reader(byte[]... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            out.writeBytes(e);
        }
        out.writeBytes(new byte[1024]);
        return new TarReader(new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void readsFilesDirectoriesAndLinks() throws IOException {
        TarReader r = reader(entry("bin/", '5', "", new byte[0]), entry("bin/a", '0', "", "hello".getBytes(StandardCharsets.UTF_8)),
                entry("bin/b", '2', "a", new byte[0]));
        TarReader.Header d = r.next();
        assertEquals(new TarReader.Header("bin", TarReader.Kind.DIRECTORY, 0755, 0, null), d);
        TarReader.Header f = r.next();
        assertEquals("bin/a", f.name());
        assertEquals("hello", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
        TarReader.Header l = r.next();
        assertEquals("a", l.linkTarget());
        assertNull(r.next());
    }

    @Test
    void refusesNamesAndLinksOutsideTheTree() {
        for (byte[] bad : new byte[][] {
                entry("../evil", '0', "", new byte[0]),
                entry("bin/../../evil", '0', "", new byte[0]),
                entry("/etc/evil", '0', "", new byte[0]),
                entry("lib/l", '2', "../../etc/passwd", new byte[0]),
                entry("lib/l", '2', "/etc/passwd", new byte[0]),
                entry("lib/h", '1', "bin/a", new byte[0]),
                entry("dev/x", '3', "", new byte[0]),
                entry("././@LongLink", 'L', "", new byte[0]),
                entry("pax", 'x', "", new byte[0])}) {
            IOException e = assertThrows(IOException.class, () -> reader(bad).next());
            assertTrue(e.getMessage().length() > 10, e.getMessage());
        }
    }

    @Test
    void refusesABadChecksum() {
        byte[] e = entry("bin/a", '0', "", new byte[0]);
        e[0] = 'c';
        IOException x = assertThrows(IOException.class, () -> reader(e).next());
        assertEquals("tar header checksum mismatch", x.getMessage());
    }
}
