package io.github.wardops.ward.runner.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void controlCharactersAreEscapedAndNothingElse() {
        assertEquals("a\\u001b[31mb\\u0007c\\u0008d\\ne\\rf\\tg\\u0000h\\u007fi\\u009bj\\u0085k\\u2028l",
                LogText.escape("a\u001b[31mb\u0007c\bd\ne\rf\tg\u0000h\u007fi\u009bj\u0085k\u2028l"));
        String plain = "Tbilisi – თბილისი \\ C:\\path \"q\" 🛰";
        assertSame(plain, LogText.escape(plain), "nothing to do, nothing copied");
        assertNull(LogText.clean(null));
    }

    @Test
    void theUsualShapesOfASecretAreMasked() {
        assertEquals("jdbc:postgresql://***@db:5432/ward?sslmode=require&password=***&user=ward",
                LogText.clean("jdbc:postgresql://ward:hunter2@db:5432/ward?sslmode=require&password=hunter2&user=ward"));
        assertEquals("redis://***@127.0.0.1:6379 and rediss://***@h", LogText.clean("redis://:pw1@127.0.0.1:6379 and rediss://default:pw2@h"));
        assertEquals("sslPassword=*** PASSWD: *** token=*** secret=*** community=***",
                LogText.clean("sslPassword=a1 PASSWD: b2 token=c3 secret='d 4' community=\"e5\""));
        assertEquals("writing command [AUTH ***] then HELLO 3 AUTH ***", LogText.clean("writing command [AUTH default pw] then HELLO 3 AUTH default pw"));
        assertEquals("Authorization: *** and authorization=***", LogText.clean("Authorization: Bearer abc.def and authorization=xyz"));
        // Ordinary text is left alone.
        String ordinary = "cycle: 875 devices, 873 probed (872 up, 1 down) in 30s; bearer token required; AUTHENTICATION ok";
        assertEquals(ordinary, LogText.clean(ordinary));
    }
}
