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
}
