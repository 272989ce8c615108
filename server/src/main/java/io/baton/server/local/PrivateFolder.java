package io.baton.server.local;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * A data folder that only its owner may read: it holds specs with their secrets, tokens and the database. The
 * folder becomes 0700 and what is in it loses every group and other permission (files 0600), so that a folder made
 * by an older Baton, or under a loose umask, is private too.
 */
public final class PrivateFolder {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    /** Creates {@code dir} when missing and makes it and everything in it private; returns it. */
    public static Path create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                restrict(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    restrict(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult
                        .CONTINUE; // a file that vanished meanwhile (a step's workspace) is nobody's secret
            }
        });
        return dir;
    }

    private static void restrict(Path p) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        if (permissions.removeAll(OTHERS)) {
            Files.setPosixFilePermissions(p, permissions);
        }
    }

    private PrivateFolder() {}
}
