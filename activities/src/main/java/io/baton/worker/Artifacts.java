package io.baton.worker;

import io.baton.workflows.ArtifactRef;
import io.baton.workflows.StagedInput;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves files between a workspace and the server's blob store: inputs are downloaded (once per worker, checked
 * against their sha256) and copied into {@code $BATON_INPUTS}; outputs are streamed up, hashed on the way, and
 * become references. Only regular files count: a link in the outputs is never followed (it could point anywhere
 * on the worker).
 */
final class Artifacts {
  private final ServerClient server;
  private final Path cache;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  Artifacts(ServerClient server, Path workDir) throws IOException {
    this.server = server;
    this.cache = Files.createDirectories(workDir.resolve("blobs"));
  }

  void stage(List<StagedInput> inputs, Path inputsFolder) throws IOException {
    // compared as normalized absolute paths: a work folder given as ./data/worker is inside itself too
    Path inputsDir = inputsFolder.toAbsolutePath().normalize();
    for (StagedInput input : inputs) {
      Path folder = inputsDir.resolve(Workspace.readable(input.name()));
      if (input.producer() != null) {
        folder = folder.resolve(Workspace.readable(input.producer()));
      }
      Path target = folder.resolve(input.path()).normalize();
      if (!target.startsWith(inputsDir)) {
        throw new IOException("input path '" + input.path() + "' leaves the inputs folder");
      }
      Files.createDirectories(target.getParent());
      Files.copy(cached(input.sha256()), target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The blob in this worker's cache, downloaded and checked first if needed (hard links would share mutations). */
  Path cached(String sha256) throws IOException {
    Path file = cache.resolve(sha256);
    synchronized (locks.computeIfAbsent(sha256, k -> new Object())) {
      if (!Files.exists(file)) {
        Path partial = Files.createTempFile(cache, "download-", ".part");
        try {
          server.download(sha256, partial);
          String actual = Hashing.sha256(partial);
          if (!actual.equals(sha256)) {
            throw new IOException("blob " + sha256 + " arrived with sha256 " + actual);
          }
          Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(partial);
        }
      }
    }
    return file;
  }

  /** Uploads every regular file under {@code outputsDir}; returns their references in path order. */
  List<ArtifactRef> collect(Path outputsDir) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(outputsDir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    List<ArtifactRef> refs = new ArrayList<>();
    for (Path file : files.stream().sorted().toList()) {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      String path = outputsDir.relativize(file).toString().replace('\\', '/');
      ServerClient.Upload upload = server.upload(file);
      refs.add(new ArtifactRef(path, upload.sha256(), upload.size()));
    }
    return refs;
  }
}
