package io.baton.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The worker images' build context (the repository root, filtered by its {@code .dockerignore}), checked without
 * Docker: it holds every file the Dockerfiles copy, and neither the tools environment nor local mode's data.
 */
class WorkerImageContextTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?!--from)(\\S+)\\s+\\S+\\s*$");

    @Test
    void theBuildContextHoldsWhatTheImagesCopy() throws IOException {
        List<String> copied = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("worker-image"))) {
            for (Path dockerfile : files.filter(f -> f.getFileName().toString().startsWith("Dockerfile"))
                    .toList()) {
                Matcher m = COPY.matcher(Files.readString(dockerfile));
                while (m.find()) {
                    copied.add(m.group(1));
                }
            }
        }

        assertThat(copied).contains("activities/target/baton-worker.jar", "config/worker.yml");
        assertThat(copied)
                .allSatisfy(path -> assertThat(inContext(path)).as(path).isTrue());
    }

    @Test
    void theBuildContextLeavesOutTheToolsTheDataAndTheBuildOutputs() throws IOException {
        assertThat(List.of(
                        ".baton/tools/bin/python3",
                        ".baton/bin/baton-launch",
                        "data/baton.mv.db",
                        "data/admin.token",
                        ".git/HEAD",
                        "server/target/baton-server.jar",
                        "activities/target/classes/x.class",
                        "examples/iris/train.py"))
                .allSatisfy(path -> assertThat(inContext(path)).as(path).isFalse());
    }

    /**
     * Whether the build context holds {@code path}, by the rules of {@code .dockerignore}: the last pattern that
     * matches the path or one of its parent folders decides; {@code !} takes a path back in.
     */
    private static boolean inContext(String path) throws IOException {
        Path ignore = ROOT.resolve(".dockerignore");
        if (!Files.exists(ignore)) {
            return true;
        }
        boolean in = true;
        for (String line : Files.readAllLines(ignore)) {
            String rule = line.strip();
            if (rule.isEmpty() || rule.startsWith("#")) {
                continue;
            }
            boolean keep = rule.startsWith("!");
            String glob = keep ? rule.substring(1) : rule;
            var matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            for (Path p = Path.of(path); p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    in = keep;
                    break;
                }
            }
        }
        return in;
    }
}
