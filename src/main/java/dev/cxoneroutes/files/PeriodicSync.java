package dev.cxoneroutes.files;

import dev.cxoneroutes.support.RepeatingTask;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs ({@code fsync}) a file at most once per interval, on a thread of its own. Writers only say
 * that they wrote: none of them waits for the disk. An fsync can take hundreds of milliseconds on a
 * busy disk; made by a writer under the file's lock, it stalled every other writer of the file, and
 * once the audit line was written before each answer, that was the p99 of every answer (bench/).
 *
 * <p>What it promises is what the interval always meant: a write that returned survives the process
 * being killed (it is in the kernel), and an operating-system crash can lose the last interval.
 */
public final class PeriodicSync implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicSync.class);

    private final String name;
    private final FileDescriptor file;
    private final AtomicBoolean written = new AtomicBoolean();
    private final RepeatingTask timer;
    private boolean failing; // only touched by the timer thread, then by close after it stopped

    /** Starts syncing {@code file} (named {@code name} in log lines) every {@code interval} it was written in. */
    public PeriodicSync(String name, FileDescriptor file, Duration interval) {
        this.name = name;
        this.file = file;
        this.timer = new RepeatingTask("file-sync " + name, interval, this::syncIfWritten);
    }

    /** The file was written to: it is synced at the next tick. */
    public void written() {
        written.set(true);
    }

    private void syncIfWritten() {
        if (!written.getAndSet(false)) {
            return;
        }
        try {
            file.sync();
            if (failing) {
                LOG.info("Syncing {} works again", name);
                failing = false;
            }
        } catch (IOException e) {
            written.set(true); // try again at the next tick
            if (!failing) {
                LOG.warn(
                        "Could not sync {} to disk ({}); its lines are written and will be synced when it works",
                        name,
                        e.getMessage());
                failing = true;
            }
        }
    }

    /** Stops the timer and makes a last sync, before the file is closed. */
    @Override
    public void close() throws IOException {
        timer.close();
        if (written.getAndSet(false)) {
            file.sync();
        }
    }
}
