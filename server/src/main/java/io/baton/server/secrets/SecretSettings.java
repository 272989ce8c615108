package io.baton.server.secrets;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where the key that seals project secrets comes from: {@code secrets.key}, else the file {@code secrets.keyFile};
 * local mode makes its own file ({@code secrets.key} in the data folder, mode 600) on first start.
 */
public class SecretSettings {
    /** The base64 of 32 bytes, or {@code id:base64,...} with the sealing key first (docs/security.md). */
    @JsonProperty
    public String key = "";

    @JsonProperty
    public String keyFile = "";

    /** The cipher, or empty when no key is configured (the secrets routes then say what to set). */
    public Optional<SecretCipher> cipher(Path dataDir, boolean localMode) throws IOException {
        if (key != null && !key.isBlank()) {
            return Optional.of(SecretCipher.parse(key));
        }
        String file = keyFile;
        if ((file == null || file.isBlank()) && localMode) {
            file = ensure(dataDir.resolve("secrets.key")).toString();
        }
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(SecretCipher.parse(Files.readString(Path.of(file))));
    }

    /** Local mode: the key file, written (mode 600, atomically) with a new key when it does not exist yet. */
    static Path ensure(Path file) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, SecretCipher.generate() + "\n");
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp); // another start made it first: keep theirs
        }
        return file;
    }
}
