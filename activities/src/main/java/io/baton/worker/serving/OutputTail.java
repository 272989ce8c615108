package io.baton.worker.serving;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** A serving process's output: written whole to a file of its workspace, its last lines kept to say why it failed. */
final class OutputTail extends OutputStream {
    private static final int MAX_LINE = 1000;

    private final OutputStream file;
    private final int lines;
    private final Deque<String> last = new ArrayDeque<>();
    private final StringBuilder current = new StringBuilder();
    private boolean fileFailed;

    OutputTail(Path file, int lines) throws IOException {
        this.file = Files.newOutputStream(file);
        this.lines = lines;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (!fileFailed) {
            try {
                file.write(b, off, len);
            } catch (IOException e) {
                fileFailed = true; // a full disk must not stop the process's output from being read
            }
        }
        // stdout and stderr are pumped by two threads in chunks: a line may mix them, which a tail can live with
        String text = new String(b, off, len, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                endLine();
            } else if (current.length() < MAX_LINE) {
                current.append(c);
            }
        }
    }

    private void endLine() {
        last.addLast(current.toString());
        current.setLength(0);
        while (last.size() > lines) {
            last.removeFirst();
        }
    }

    /** The last lines written (a line still open included), joined by newlines; empty when there were none. */
    synchronized String text() {
        StringBuilder text = new StringBuilder(String.join("\n", last));
        if (!current.isEmpty()) {
            text.append(text.isEmpty() ? "" : "\n").append(current);
        }
        return text.toString().strip();
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
