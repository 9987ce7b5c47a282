package dev.cxoneroutes.batch;

/** A drop file that is not UTF-8 text: where the first bad byte is, for the error report. */
public final class NotUtf8Exception extends Exception {

    private final long byteOffset;
    private final long line;

    public NotUtf8Exception(long byteOffset, long line) {
        super("The file is not valid UTF-8 text: the byte sequence at byte offset " + byteOffset + " (line " + line
                + ") is not UTF-8.");
        this.byteOffset = byteOffset;
        this.line = line;
    }

    public long byteOffset() {
        return byteOffset;
    }

    public long line() {
        return line;
    }
}
