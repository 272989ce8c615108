package io.baton.server.logs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.baton.server.db.LogDao.Chunk;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogReaderTest {
    /** The worker's text, then a step's own metrics batch: no text, numbered after the worker's, at an earlier offset. */
    private static final List<Chunk> CHUNKS = List.of(chunk(0, "abc"), chunk(3, "def"), chunk(3, ""));

    @Test
    void writesWhatLiesPastThePositionAndAnswersTheEndOfTheText() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(LogReader.copy(CHUNKS, 4, out)).isEqualTo(6);
        assertThat(out.toString(UTF_8)).isEqualTo("ef");
    }

    @Test
    void anEmptyBatchSortedAfterLaterTextMovesThePositionNotBack() throws Exception {
        // a follower whose position went back to 3 would be sent "def" a second time at the next tick
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(LogReader.copy(CHUNKS, 0, out)).isEqualTo(6);
        assertThat(out.toString(UTF_8)).isEqualTo("abcdef");
        assertThat(LogReader.copy(CHUNKS, 6, new ByteArrayOutputStream())).isEqualTo(6);
    }

    private static Chunk chunk(long offset, String text) {
        return new Chunk(offset, text.getBytes(UTF_8));
    }
}
