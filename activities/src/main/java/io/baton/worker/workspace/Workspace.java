package io.baton.worker.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fresh folder of one attempt ({@code code/}, {@code outputs/}, {@code inputs/}, {@code checkpoint/}, {@code tmp/},
 * {@code parameters.json}); names from users are reduced to safe characters and suffixed with a hash.
 */
public record Workspace(Path root) {
    /** Matrix step names grow with their values; a folder name may have at most 255 bytes. */
    private static final int MAX_NAME = 100;

    /** Where the workspace of an attempt lives; nothing is created until {@link #create()}. */
    public static Workspace of(Path workDir, String runId, String step, int attempt) {
        return new Workspace(workDir.resolve("workspaces").resolve(safe(runId)).resolve(safe(step) + "-" + attempt));
    }

    /** Creates the workspace's folders, empty: a retry on the same worker starts from scratch. */
    public Workspace create() throws IOException {
        if (Files.exists(root)) {
            delete(root);
        }
        Files.createDirectories(code());
        Files.createDirectories(outputs());
        Files.createDirectories(inputs());
        Files.createDirectories(checkpoint());
        Files.createDirectories(tmp());
        return this;
    }

    public Path code() {
        return root.resolve("code");
    }

    public Path outputs() {
        return root.resolve("outputs");
    }

    public Path inputs() {
        return root.resolve("inputs");
    }

    public Path checkpoint() {
        return root.resolve("checkpoint");
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    public Path parametersFile() {
        return root.resolve("parameters.json");
    }

    public void delete() throws IOException {
        delete(root);
    }

    /**
     * A folder name a user will read: the name itself when it is made of harmless characters (step names such as
     * {@code train[lr=0.1]} are), else {@link #safe}.
     */
    public static String readable(String name) {
        return name.matches("[A-Za-z0-9][A-Za-z0-9_.,=+\\[\\]-]*") && name.length() <= MAX_NAME ? name : safe(name);
    }

    public static String safe(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (cleaned.equals(name) && !name.startsWith(".") && name.length() <= MAX_NAME) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            String shown = cleaned.replaceAll("^\\.+", "_");
            shown = shown.substring(0, Math.min(shown.length(), MAX_NAME));
            return shown + "-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
