package io.baton.bundle;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads code bundles (tar.gz). The server {@link #inspect inspects} an upload before it keeps it; a worker
 * {@link #unpack unpacks} it into a workspace, checking the same rules again (it never trusts what it downloads).
 * Refused: absolute paths, {@code ..}, links that leave the tree, devices and FIFOs, and archives past the limits.
 */
public final class Bundles {
  private Bundles() {
  }

  public static BundleSummary inspect(InputStream gzip, BundleLimits limits) throws BundleException, IOException {
    return walk(gzip, limits, null);
  }

  public static BundleSummary unpack(InputStream gzip, Path target, BundleLimits limits)
      throws BundleException, IOException {
    Files.createDirectories(target);
    return walk(gzip, limits, target.toRealPath());
  }

  private static BundleSummary walk(InputStream gzip, BundleLimits limits, Path root)
      throws BundleException, IOException {
    int files = 0;
    long bytes = 0;
    try (TarArchiveInputStream tar = open(gzip)) {
      TarArchiveEntry entry;
      while ((entry = nextEntry(tar)) != null) {
        String name = checkedName(entry.getName());
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
          throw BundleException.unsafe("bundle entry '" + name + "' is a device or FIFO; only files, folders and links are allowed");
        }
        if (entry.isSymbolicLink() || entry.isLink()) {
          checkLinkTarget(name, entry);
        } else if (entry.isFile()) {
          files++;
          bytes += entry.getSize();
          if (files > limits.maxFiles()) {
            throw BundleException.tooLarge("bundle has more than " + limits.maxFiles() + " files");
          }
          if (bytes > limits.maxUnpackedBytes()) {
            throw BundleException.tooLarge("bundle unpacks to more than " + limits.maxUnpackedBytes() + " bytes");
          }
        } else if (!entry.isDirectory()) {
          throw BundleException.unsafe("bundle entry '" + name + "' has an unsupported type");
        }
        if (root != null && !name.isEmpty()) {
          write(tar, entry, name, root);
        }
      }
    }
    return new BundleSummary(files, bytes);
  }

  private static TarArchiveInputStream open(InputStream gzip) throws BundleException, IOException {
    try {
      return new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(gzip)));
    } catch (IOException e) {
      throw BundleException.unsafe("the body is not a gzip-compressed tar archive (" + e.getMessage() + ")");
    }
  }

  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws BundleException {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw BundleException.unsafe("the bundle is not a readable tar.gz archive (" + e.getMessage() + ")");
    }
  }

  /** Normalises "./a/b/" to "a/b" and refuses absolute names and ".." anywhere. */
  static String checkedName(String raw) throws BundleException {
    if (raw.startsWith("/") || raw.matches("^[A-Za-z]:.*") || raw.contains("\\")) {
      throw BundleException.unsafe("bundle entry '" + raw + "' has an absolute path; entries must be relative");
    }
    StringBuilder clean = new StringBuilder();
    for (String part : raw.split("/")) {
      if (part.equals("..")) {
        throw BundleException.unsafe("bundle entry '" + raw + "' contains '..'; entries must stay inside the bundle");
      }
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.indexOf('\0') >= 0) {
        throw BundleException.unsafe("bundle entry '" + raw + "' has a NUL character in its name");
      }
      if (clean.length() > 0) {
        clean.append('/');
      }
      clean.append(part);
    }
    return clean.toString();
  }

  private static void checkLinkTarget(String name, TarArchiveEntry entry) throws BundleException {
    String target = entry.getLinkName();
    if (target == null || target.isEmpty() || target.startsWith("/")) {
      throw BundleException.unsafe("bundle link '" + name + "' points to '" + target + "', outside the bundle");
    }
    // Symbolic links resolve from the link's folder, hard links from the archive's root.
    Path base = entry.isSymbolicLink() ? Path.of("/root", name).getParent() : Path.of("/root");
    Path resolved = base.resolve(target).normalize();
    if (!resolved.startsWith("/root") || resolved.equals(Path.of("/root"))) {
      throw BundleException.unsafe("bundle link '" + name + "' points to '" + target + "', outside the bundle");
    }
  }

  private static void write(TarArchiveInputStream tar, TarArchiveEntry entry, String name, Path root)
      throws BundleException, IOException {
    Path path = root.resolve(name).normalize();
    Path parent = path.getParent();
    Files.createDirectories(parent);
    // A link unpacked earlier must not carry a later entry outside the workspace.
    if (!parent.toRealPath().startsWith(root)) {
      throw BundleException.unsafe("bundle entry '" + name + "' would be written outside the bundle through a link");
    }
    if (entry.isDirectory()) {
      Files.createDirectories(path);
    } else if (entry.isSymbolicLink()) {
      Files.deleteIfExists(path);
      Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      Path source = root.resolve(checkedName(entry.getLinkName()));
      if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
        throw BundleException.unsafe("bundle hard link '" + name + "' names '" + entry.getLinkName() + "', which is not a file before it");
      }
      Files.copy(source, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.deleteIfExists(path);
      try (OutputStream out = Files.newOutputStream(path)) {
        tar.transferTo(out);
      }
      if ((entry.getMode() & 0100) != 0) {
        Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(path));
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        Files.setPosixFilePermissions(path, perms);
      }
    }
  }
}
