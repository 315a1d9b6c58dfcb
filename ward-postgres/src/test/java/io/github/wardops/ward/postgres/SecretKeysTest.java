package io.github.wardops.ward.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wardops.ward.InvalidConfigurationException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretKeysTest {
    private static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void oneBareKeyOrIdKeyLinesWithTheFirstCurrent() {
        SecretKeys bare = SecretKeys.parse(K2 + "\n", "WARD_ENCRYPTION_KEY");
        assertEquals("default", bare.currentId());
        SecretKeys lines = SecretKeys.parse("# rotated 2026-11\nnew=" + K2 + "\n\nold=" + K1 + "\n", "keys");
        assertEquals("new", lines.currentId());
        assertEquals(Set.of("new", "old"), lines.ids());
        assertEquals("old", SecretKeys.parse("old=" + K1, "k").currentId(), "one id=key line is not a bare key");
    }

    @Test
    void everyBadLineIsNamedAndNoKeyIsEverEchoed() {
        String shortKey = Base64.getEncoder().encodeToString("sixteen-byte-key".getBytes());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> SecretKeys.parse(
                "just-text-no-equals\nbad id!=" + K1 + "\nshort=" + shortKey + "\nnotb64=%%%\n", "WARD_ENCRYPTION_KEY"));
        String m = e.getMessage();
        assertTrue(m.contains("WARD_ENCRYPTION_KEY line 1: not a key: expected one standard base64 key of 32 bytes"), m);
        assertTrue(m.contains("WARD_ENCRYPTION_KEY line 2: not a key"), "an id that is not an id is not quoted: " + m);
        assertTrue(m.contains("WARD_ENCRYPTION_KEY line 4: key 'notb64' is not valid base64"), m);
        assertFalse(m.contains(K1) || m.contains(shortKey), m);
        InvalidConfigurationException ids = assertThrows(InvalidConfigurationException.class,
                () -> SecretKeys.parse("ok=" + K1 + "\nshort=" + shortKey, "f"));
        assertTrue(ids.getMessage().contains("key 'short': must be 32 bytes (AES-256), got 16 bytes"), ids.getMessage());
        // Keys of the wrong size or alphabet, alone: whatever part of them is read as an "id" is never echoed.
        String key16 = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        byte[] b32 = new byte[32];
        java.util.Arrays.fill(b32, (byte) 0xfb);
        String urlSafe = Base64.getUrlEncoder().encodeToString(b32);
        for (String bad : List.of(key16, urlSafe, key16.substring(0, key16.length() - 2))) {
            String msg = assertThrows(InvalidConfigurationException.class, () -> SecretKeys.parse(bad, "K")).getMessage();
            assertTrue(msg.contains("K line 1: not a key"), msg);
            for (int n = 8; n <= bad.length(); n++) {
                assertFalse(msg.contains(bad.substring(0, n)), "no prefix of the key in: " + msg);
            }
        }
        for (String empty : List.of("", "\n# only a comment\n")) {
            assertTrue(assertThrows(InvalidConfigurationException.class, () -> SecretKeys.parse(empty, "f")).getMessage()
                    .contains("f: no key"));
        }
    }
}
