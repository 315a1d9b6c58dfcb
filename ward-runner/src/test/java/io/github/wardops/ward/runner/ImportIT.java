package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.inventory.DeviceId;
import io.github.wardops.ward.postgres.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ward import}: all or nothing, every bad line listed. */
class ImportIT {
    @TempDir
    Path dir;

    private static String id(String key) {
        return DeviceId.fromKey(key).toString();
    }

    @Test
    void aBadCsvExits2ListingEveryBadLineAndWritesNothing() throws Exception {
        Path csv = Files.writeString(dir.resolve("bad.csv"), String.join("\n",
                "id,name,address,region",
                id("ok-1") + ",ok-1,127.47.0.1,A",
                "not-a-uuid,bad-id,127.47.0.2,A",
                id("bad-addr") + ",bad-addr,127.47.0.300,A",
                id("no-name") + ",,127.47.0.4,A",
                id("ok-1") + ",dup,127.47.0.5,A",
                ""));
        Path data = dir.resolve("data");
        WalkIT.Run r = WalkIT.ward("import", "--data-dir", data.toString(), csv.toString());
        assertEquals(2, r.code(), r.err());
        for (String line : List.of("line 3", "line 4", "line 5", "line 6")) {
            assertTrue(r.err().contains(line), line + " in " + r.err());
        }
        assertFalse(r.err().contains("line 2:"), r.err());
        assertTrue(r.err().contains("nothing was imported"), r.err());
        assertFalse(Files.exists(data), "no database was started for an invalid file");

        WalkIT.Run missing = WalkIT.ward("import", "--data-dir", data.toString(), dir.resolve("nope.csv").toString());
        assertEquals(2, missing.code(), missing.err());
    }

    @Test
    void aGoodCsvIsUpsertedIntoTheEmbeddedDatabase() throws Exception {
        StringBuilder sb = new StringBuilder("id,name,address,region\n");
        for (int i = 1; i <= 300; i++) {
            sb.append(id("imp-" + i)).append(",d").append(i).append(",127.47.1.").append(i % 250 + 1).append(",R\n");
        }
        Path csv = Files.writeString(dir.resolve("good.csv"), sb.toString());
        Path data = dir.resolve("data");
        WalkIT.Run r = WalkIT.ward("import", "--data-dir", data.toString(), csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("300 devices valid"), r.out());
        assertTrue(r.out().contains("imported 300 devices"), r.out());
        assertFalse(r.out().contains("%"), "a small file has no progress lines off a terminal: " + r.out());
        // Again: an upsert, not duplicates.
        assertEquals(0, WalkIT.ward("import", "--data-dir", data.toString(), csv.toString()).code());
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data.resolve("pg"), 0);
             Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*), count(distinct labels->>'region') from devices")) {
            rs.next();
            assertEquals(300, rs.getInt(1));
            assertEquals(1, rs.getInt(2));
        }
    }

    @Test
    void aLargeFileShowsProgressWhileReadingAndWriting() throws Exception {
        int n = 20_000;
        StringBuilder sb = new StringBuilder("id,name,address,region\n");
        for (int i = 0; i < n; i++) {
            sb.append(id("big-" + i)).append(",device-").append(i).append(",127.48.").append(i / 250).append('.')
                    .append(i % 250 + 1).append(",Region ").append(i % 10).append('\n');
        }
        Path csv = Files.writeString(dir.resolve("big.csv"), sb.toString());
        assertTrue(Files.size(csv) >= 1_000_000, "large enough for progress lines");
        Path data = dir.resolve("data");
        WalkIT.Run r = WalkIT.ward("import", "--data-dir", data.toString(), csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        List<String> reading = lines.stream().filter(l -> l.startsWith("reading big.csv:")).toList();
        List<String> writing = lines.stream().filter(l -> l.startsWith("writing:")).toList();
        assertEquals(11, reading.size(), "0%, 10% ... 100%: " + r.out());
        assertTrue(reading.get(10).matches("reading big\\.csv: 100% \\(1\\.\\d MB of 1\\.\\d MB\\)"), reading.get(10));
        assertTrue(writing.contains("writing:  50% (10000 of 20000 devices)"), r.out());
        assertEquals("writing: 100% (20000 of 20000 devices)", writing.get(writing.size() - 1));
        int readIdx = lines.indexOf(reading.get(10));
        int validIdx = lines.indexOf(n + " devices valid; writing them in one transaction ...");
        assertTrue(readIdx >= 0 && validIdx > readIdx && lines.indexOf(writing.get(0)) > validIdx, r.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("imported " + n + " devices"), r.out());
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data.resolve("pg"), 0);
             Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from devices")) {
            rs.next();
            assertEquals(n, rs.getInt(1));
        }
    }

    @Test
    void aFileThatIsNotUtf8IsRejectedWholeAndNamed() throws Exception {
        byte[] latin1 = ("id,name,address\n" + id("l1") + ",Tbilisi caf\u00e9,127.47.2.1\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path csv = Files.write(dir.resolve("latin1.csv"), latin1);
        Path data = dir.resolve("data");
        WalkIT.Run r = WalkIT.ward("import", "--data-dir", data.toString(), csv.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("line 2: not UTF-8 text (byte 49 of the line); save the file as UTF-8"), r.err());
        assertTrue(r.err().contains("nothing was imported"), r.err());
        assertFalse(Files.exists(data), "nothing started, nothing written");
    }
}
