package dev.cxoneroutes.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a drop file once, before any line is processed: it must be UTF-8 text throughout, and its
 * SHA-256 identifies it. Checking up front (about a second per 200 MB) means a file that is not
 * UTF-8 goes to failed/ with no result line written and no call bridged, instead of stopping
 * halfway. The hash tells a restart resuming this file from a new file dropped under the same name,
 * and seeds each line's X-CXone-Request-ID.
 */
public final class DropFileScan {

    private static final int BUFFER_BYTES = 64 * 1024;

    private DropFileScan() {}

    /** The file's SHA-256 as hex, once it has been read as valid UTF-8. */
    public static String sha256OfUtf8Text(Path file) throws IOException, NotUtf8Exception {
        MessageDigest digest = sha256();
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES);
        CharBuffer chars = CharBuffer.allocate(BUFFER_BYTES);
        long offset = 0; // of bytes[0] in the file
        long newlines = 0; // before bytes[0]
        try (InputStream in = Files.newInputStream(file)) {
            boolean end = false;
            while (!end) {
                int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
                end = read < 0;
                if (read > 0) {
                    digest.update(bytes.array(), bytes.position(), read);
                    bytes.position(bytes.position() + read);
                }
                bytes.flip();
                while (true) {
                    int before = bytes.position();
                    CoderResult result = decoder.decode(bytes, chars, end);
                    newlines += countNewlines(bytes.array(), before, bytes.position());
                    chars.clear();
                    if (result.isError()) {
                        throw new NotUtf8Exception(offset + bytes.position(), newlines + 1);
                    }
                    if (result.isUnderflow()) {
                        break;
                    }
                }
                if (end && decoder.flush(chars).isError()) {
                    throw new NotUtf8Exception(offset + bytes.position(), newlines + 1);
                }
                offset += bytes.position();
                bytes.compact();
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long countNewlines(byte[] bytes, int from, int to) {
        long count = 0;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                count++;
            }
        }
        return count;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
