package io.baton.server.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFolderTest {
    @TempDir
    Path temp;

    @Test
    void aFolderMadeUnderALooseUmaskBecomesItsOwnersAlone() throws Exception {
        Path data = temp.resolve("data");
        Path blobs = Files.createDirectories(data.resolve("blobs/ab"));
        Path blob = Files.writeString(blobs.resolve("abcd"), "a spec with a secret");
        Path script = Files.writeString(data.resolve("run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(blobs, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        PrivateFolder.create(data);

        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(blobs)).isEqualTo("rwx------");
        assertThat(mode(blob)).isEqualTo("rw-------");
        assertThat(mode(script)).as("the owner keeps what it had").isEqualTo("rwx------");
    }

    @Test
    void aMissingFolderIsCreatedPrivate() throws Exception {
        Path data = PrivateFolder.create(temp.resolve("new/data"));
        assertThat(mode(data)).isEqualTo("rwx------");
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
