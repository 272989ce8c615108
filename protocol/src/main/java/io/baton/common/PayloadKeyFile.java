package io.baton.common;

import io.baton.workflows.PayloadKeys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where Baton's processes find the payload key: a setting (BATON_PAYLOAD_KEY) or a file (BATON_PAYLOAD_KEY_FILE).
 * Local mode makes its own key file on first start, readable by its owner only.
 */
public final class PayloadKeyFile {
    private PayloadKeyFile() {}

    /** The keys of the setting, else of the file; an error that says what to set when neither is given. */
    public static PayloadKeys resolve(String key, String file) throws IOException {
        return PayloadKeys.parse(text(key, file));
    }

    /** The key text of the setting, else of the file. */
    public static String text(String key, String file) throws IOException {
        if (key != null && !key.isBlank()) {
            return key.trim();
        }
        if (file != null && !file.isBlank()) {
            return Files.readString(Path.of(file)).trim();
        }
        throw new IllegalArgumentException("no payload key: set BATON_PAYLOAD_KEY (id:base64 of 32 bytes) or"
                + " BATON_PAYLOAD_KEY_FILE (local mode writes one to $BATON_DATA_DIR/payload.key)");
    }

    /** Local mode: the key file, written (mode 600, atomically) with a new key when it does not exist yet. */
    public static Path ensure(Path file) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, PayloadKeys.generate("k" + System.currentTimeMillis() / 1000) + "\n");
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp); // another start made it first: keep theirs
        }
        return file;
    }
}
