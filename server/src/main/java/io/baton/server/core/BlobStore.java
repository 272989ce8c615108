package io.baton.server.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Content-addressed storage of bundles and artifacts: a blob's name is the sha256 of its bytes, so the same bytes
 * are stored once however often they are produced. A folder first; an S3-compatible store is the path to scale.
 */
public interface BlobStore {
  /** A private temporary file to stream an upload into before it is {@link #adopt adopted}. */
  Path newTempFile() throws IOException;

  /** Moves a fully written temporary file into the store under its sha256; a duplicate is simply dropped. */
  void adopt(Path tempFile, String sha256) throws IOException;

  OptionalLong size(String sha256);

  InputStream open(String sha256) throws IOException;
}
