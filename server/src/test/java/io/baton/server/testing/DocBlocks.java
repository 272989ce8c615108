package io.baton.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced code blocks of the project's Markdown (README.md, then docs/*.md), with the marker that keeps one out
 * of the docs test: {@code <!-- docs-test: skip (why) -->} on the line before its fence.
 */
public final class DocBlocks {
    private static final Pattern FENCE = Pattern.compile("^```([A-Za-z0-9_-]*)\\s*$");
    private static final Pattern SKIP = Pattern.compile("^<!-- docs-test: skip \\((.+)\\) -->$");

    /** One block: its language ("sh", "yaml", ...), where it starts (the fence's line) and why it is skipped, if so. */
    public record Block(String file, int line, String language, String text, String skipReason) {
        public boolean skipped() {
            return skipReason != null;
        }

        public String where() {
            return file + ":" + line;
        }
    }

    private DocBlocks() {}

    /** Every block of README.md and docs/*.md under {@code repo}, in reading order. */
    public static List<Block> of(Path repo) throws IOException {
        List<Path> files = new ArrayList<>(List.of(repo.resolve("README.md")));
        try (Stream<Path> docs = Files.list(repo.resolve("docs"))) {
            docs.filter(f -> f.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .forEach(files::add);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path file : files) {
            blocks.addAll(parse(repo.relativize(file).toString(), Files.readAllLines(file)));
        }
        return blocks;
    }

    static List<Block> parse(String file, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            if (end == lines.size()) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": a code block that never closes");
            }
            blocks.add(new Block(
                    file,
                    i + 1,
                    open.group(1),
                    String.join("\n", lines.subList(i + 1, end)) + "\n",
                    skipReason(file, lines, i)));
            i = end;
        }
        return blocks;
    }

    private static String skipReason(String file, List<String> lines, int fence) {
        for (int i = fence - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.contains("docs-test:")) {
                return null;
            }
            Matcher skip = SKIP.matcher(line);
            if (!skip.matches()) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": a docs-test marker must read"
                        + " '<!-- docs-test: skip (why) -->', not: " + line);
            }
            return skip.group(1);
        }
        return null;
    }
}
