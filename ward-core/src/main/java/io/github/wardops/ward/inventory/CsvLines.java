package io.github.wardops.ward.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits UTF-8 bytes into lines while reading them, with a bound on each line: a longer line is
 * skipped to its end without being kept, so memory stays bounded by the limit whatever the
 * input. Each line is decoded strictly: bytes that are not UTF-8 are a problem of that line,
 * never silently replaced. Lines end at {@code \n}; a {@code \r} before it stays in the line
 * (the CSV splitter drops it). Not thread-safe.
 */
final class CsvLines {
    /**
     * One line.
     *
     * @param number the line number, from 1
     * @param text the decoded text, or {@code null} when {@code problem} is set
     * @param problem why the line cannot be used (too long, not UTF-8), or {@code null}
     */
    record Line(int number, String text, String problem) {
    }

    private final InputStream in;
    private final int max;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int len;
    private boolean eof;
    private byte[] line = new byte[512];
    private int lineLen;
    private int number;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    CsvLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.max = maxLineBytes;
    }

    /** The same message wherever an inventory is read. */
    static String notUtf8(long byteInLine) {
        return "not UTF-8 text (byte " + byteInLine + " of the line); save the file as UTF-8";
    }

    static String tooLong(int max) {
        return "longer than " + max + " bytes, the limit of a line";
    }

    /**
     * The next line.
     *
     * @return the line, or {@code null} at the end of the input
     * @throws IOException when reading fails
     */
    Line next() throws IOException {
        if (eof) {
            return null;
        }
        lineLen = 0;
        long total = 0;
        boolean any = false;
        while (true) {
            if (pos == len) {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    eof = true;
                    if (!any) {
                        return null;
                    }
                    break;
                }
                pos = 0;
                len = n;
                continue;
            }
            any = true;
            int nl = -1;
            for (int i = pos; i < len; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? len : nl;
            int n = end - pos;
            if (total + n <= max) {
                append(pos, n);
            }
            total += n;
            pos = nl < 0 ? len : nl + 1;
            if (nl >= 0) {
                break;
            }
        }
        number++;
        if (total > max) {
            return new Line(number, null, tooLong(max));
        }
        decoder.reset();
        ByteBuffer bytes = ByteBuffer.wrap(line, 0, lineLen);
        CharBuffer chars = CharBuffer.allocate(lineLen);
        CoderResult r = decoder.decode(bytes, chars, true);
        if (!r.isError()) {
            r = decoder.flush(chars);
        }
        if (r.isError()) {
            return new Line(number, null, notUtf8(bytes.position() + 1L));
        }
        return new Line(number, chars.flip().toString(), null);
    }

    private void append(int from, int n) {
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.min(max, Math.max(lineLen + n, line.length * 2)));
        }
        System.arraycopy(buf, from, line, lineLen, n);
        lineLen += n;
    }

    /**
     * UTF-8 bytes of a reader's text, so text already decoded gets the same line bounds. A lone
     * surrogate becomes the byte {@code 0xFF}, which is never UTF-8: its line is then reported
     * as not UTF-8, as it would be in a file. Not thread-safe.
     */
    static final class Utf8Bytes extends InputStream {
        private final Reader reader;
        private final char[] chars = new char[4096];
        private int cpos;
        private int clen;
        private boolean end;
        private final byte[] pending = new byte[4];
        private int ppos;
        private int plen;

        Utf8Bytes(Reader reader) {
            this.reader = reader;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            if (n == 0) {
                return 0;
            }
            int w = 0;
            while (w < n) {
                if (ppos < plen) {
                    b[off + w++] = pending[ppos++];
                    continue;
                }
                int c = nextChar();
                if (c < 0) {
                    break;
                }
                encode(c);
            }
            return w == 0 ? -1 : w;
        }

        /** The next char, or -1 at the end. */
        private int nextChar() throws IOException {
            if (cpos == clen) {
                if (end) {
                    return -1;
                }
                int n = reader.read(chars, 0, chars.length);
                if (n < 0) {
                    end = true;
                    return -1;
                }
                cpos = 0;
                clen = n;
                if (n == 0) {
                    return nextChar();
                }
            }
            return chars[cpos++];
        }

        private void encode(int c) throws IOException {
            ppos = 0;
            if (Character.isHighSurrogate((char) c)) {
                int lo = nextChar();
                if (lo >= 0 && Character.isLowSurrogate((char) lo)) {
                    int cp = Character.toCodePoint((char) c, (char) lo);
                    pending[0] = (byte) (0xf0 | (cp >> 18));
                    pending[1] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    pending[2] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    pending[3] = (byte) (0x80 | (cp & 0x3f));
                    plen = 4;
                    return;
                }
                if (lo >= 0) {
                    cpos--;  // not a pair: the next char is read again on its own
                }
                pending[0] = (byte) 0xff;
                plen = 1;
            } else if (Character.isLowSurrogate((char) c)) {
                pending[0] = (byte) 0xff;
                plen = 1;
            } else if (c < 0x80) {
                pending[0] = (byte) c;
                plen = 1;
            } else if (c < 0x800) {
                pending[0] = (byte) (0xc0 | (c >> 6));
                pending[1] = (byte) (0x80 | (c & 0x3f));
                plen = 2;
            } else {
                pending[0] = (byte) (0xe0 | (c >> 12));
                pending[1] = (byte) (0x80 | ((c >> 6) & 0x3f));
                pending[2] = (byte) (0x80 | (c & 0x3f));
                plen = 3;
            }
        }
    }
}
