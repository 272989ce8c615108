package io.baton.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.workflows.StagedInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactsTest {
  @TempDir
  Path tmp;

  /** {@code ./baton demo} gives the data folder as {@code ./data}: its inputs folder is not normalized. */
  @Test
  void inputsAreStagedIntoAFolderGivenWithDotSegmentsAndNeverOutsideIt() throws Exception {
    Path work = tmp.resolve("work");
    Artifacts artifacts = new Artifacts(new ServerClient("http://127.0.0.1:9", "t", java.time.Duration.ZERO), work);
    byte[] content = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
    String sha = Hashing.sha256(Files.write(tmp.resolve("data.csv"), content));
    Files.copy(tmp.resolve("data.csv"), work.resolve("blobs").resolve(sha)); // in this worker's cache already
    Path inputs = tmp.resolve(".").resolve("ws").resolve("..").resolve("ws2").resolve("inputs");

    artifacts.stage(List.of(new StagedInput("iris", null, "iris.csv", sha, content.length)), inputs);

    assertThat(inputs.normalize().resolve("iris").resolve("iris.csv")).hasBinaryContent(content);
    assertThatThrownBy(() -> artifacts.stage(
        List.of(new StagedInput("iris", null, "../../escaped.csv", sha, content.length)), inputs))
        .isInstanceOf(IOException.class).hasMessageContaining("leaves the inputs folder");
    assertThat(tmp.resolve("ws2").resolve("escaped.csv")).doesNotExist();
  }
}
