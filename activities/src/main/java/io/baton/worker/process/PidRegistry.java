package io.baton.worker.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers on disk the process groups this worker (or local mode) started, each with its leader's start time, so
 * that the next start after a {@code kill -9} ends what the killed one left behind.
 */
public final class PidRegistry {
    private static final Logger log = LoggerFactory.getLogger(PidRegistry.class);
    private final Path dir;

    public PidRegistry(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public void add(long pgid, long startTicks) {
        try {
            Files.writeString(dir.resolve(Long.toString(pgid)), Long.toString(startTicks));
        } catch (IOException e) {
            log.warn("cannot record process group {}: {}", pgid, e.getMessage());
        }
    }

    public void remove(long pgid) {
        try {
            Files.deleteIfExists(dir.resolve(Long.toString(pgid)));
        } catch (IOException e) {
            log.warn("cannot forget process group {}: {}", pgid, e.getMessage());
        }
    }

    /** Kills every recorded group that still has processes, and forgets them all. Returns how many were killed. */
    public int reapLeftovers() {
        List<Path> records;
        try (Stream<Path> files = Files.list(dir)) {
            records = files.toList();
        } catch (IOException e) {
            log.warn("cannot reap leftovers in {}: {}", dir, e.getMessage());
            return 0;
        }
        int reaped = 0;
        for (Path record : records) {
            try {
                if (reap(record)) {
                    reaped++;
                }
            } catch (IOException | NumberFormatException e) {
                // A record the killed worker did not finish writing; the others must still be reaped.
                log.warn("ignoring unreadable process record {}: {}", record, e.getMessage());
            }
            try {
                Files.deleteIfExists(record);
            } catch (IOException e) {
                log.warn("cannot forget process record {}: {}", record, e.getMessage());
            }
        }
        return reaped;
    }

    private boolean reap(Path record) throws IOException {
        long pgid = Long.parseLong(record.getFileName().toString());
        long since = Long.parseLong(Files.readString(record).trim());
        OptionalLong leader = ProcessGroups.startTicks(pgid);
        if (leader.isPresent() && leader.getAsLong() != since) {
            // The pid now names another process. The OS does not reuse a pid while a group of that id has a member,
            // so nothing of the recorded group is left, and the group of that id now belongs to someone else.
            return false;
        }
        // The leader may be gone while its children live on in its group: look for members started after it.
        if (ProcessGroups.members(pgid, since).isEmpty()) {
            return false;
        }
        log.warn("killing process group {} left by an earlier run of this process", pgid);
        ProcessGroups.killAll(pgid, since);
        return true;
    }
}
