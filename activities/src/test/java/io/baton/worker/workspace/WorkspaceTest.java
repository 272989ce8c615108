package io.baton.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspaceTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "train[lr=0.1]",
                "../../etc",
                "..",
                ".",
                "a/b",
                "/etc/passwd",
                "a\\b",
                "~",
                "-rf",
                ".hidden",
                "name with spaces",
                "x\u0000y",
                "emoji-\uD83D\uDE80"
            })
    void aNameBecomesOneSafeFolderInsideTheWorkDir(String name) throws IOException {
        Path work = tmp.resolve("work");

        Workspace ws = Workspace.of(work, name, name, 1).create();

        Path workspaces = work.resolve("workspaces").toAbsolutePath().normalize();
        Path root = ws.root().toAbsolutePath().normalize();
        assertThat(root).startsWith(workspaces);
        assertThat(workspaces.relativize(root).getNameCount()).isEqualTo(2);
        assertThat(root.toRealPath()).startsWith(workspaces.toRealPath());
        assertThat(ws.code()).isDirectory();
        assertThat(ws.code().toRealPath()).startsWith(root.toRealPath());
    }

    @Test
    void differentNamesNeverShareAFolder() throws IOException {
        List<String> names = List.of(
                "a b",
                "a_b",
                "a/b",
                "a\\b",
                "a:b",
                "a_b-1",
                "train[lr=0.1]",
                "train[lr=0_1]",
                "train_lr=0.1_",
                ".x",
                "_x",
                "x",
                "..x",
                "A",
                "a");
        Set<Path> roots = new HashSet<>();
        for (String name : names) {
            roots.add(Workspace.of(tmp, "run", name, 1).create().root());
            roots.add(Workspace.of(tmp, name, "step", 1).create().root());
        }
        assertThat(roots).hasSize(names.size() * 2);
        assertThat(Workspace.of(tmp, "run", "s", 12).create().root())
                .isNotEqualTo(Workspace.of(tmp, "run", "s-1", 2).create().root());
    }

    @Test
    void aVeryLongNameStillGetsAFolder() throws IOException {
        // Matrix steps are named after their values: train[model=...,lr=...,...] can pass 255 bytes.
        String longName = "train[" + "model=very/long/model/name,".repeat(12) + "lr=0.1]";
        String otherLongName = longName.replace("lr=0.1", "lr=0.2");

        Workspace one = Workspace.of(tmp, longName, longName, 1).create();
        Workspace two = Workspace.of(tmp, longName, otherLongName, 1).create();

        assertThat(one.code()).isDirectory();
        assertThat(two.code()).isDirectory();
        assertThat(one.root()).isNotEqualTo(two.root());
    }

    @Test
    void creatingTheSameAttemptAgainStartsEmpty() throws IOException {
        Workspace first = Workspace.of(tmp, "run", "train", 1).create();
        Files.writeString(first.code().resolve("left.txt"), "old");
        Files.createDirectories(first.outputs().resolve("deep/er"));
        Files.writeString(first.outputs().resolve("deep/er/model.bin"), "old");
        Files.writeString(first.parametersFile(), "{}");

        Workspace second = Workspace.of(tmp, "run", "train", 1).create();

        assertThat(second.root()).isEqualTo(first.root());
        for (Path folder : List.of(second.code(), second.outputs(), second.inputs(), second.checkpoint())) {
            assertThat(folder).isEmptyDirectory();
        }
        assertThat(second.parametersFile()).doesNotExist();
    }

    @Test
    void deleteRemovesLinksButNotWhatTheyPointTo() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Workspace ws = Workspace.of(tmp.resolve("work"), "run", "step", 1).create();
        Files.createSymbolicLink(ws.code().resolve("data"), outside);
        Files.createSymbolicLink(ws.outputs().resolve("file"), outside.resolve("keep.txt"));

        ws.delete();

        assertThat(ws.root()).doesNotExist();
        assertThat(outside.resolve("keep.txt")).hasContent("keep");
    }

    @Test
    void readableNamesKeepStepNamesAndMakeEverythingElseSafe() {
        assertThat(Workspace.readable("train[lr=0.1,depth=3]")).isEqualTo("train[lr=0.1,depth=3]");
        assertThat(Workspace.readable("data")).isEqualTo("data");
        assertThat(Workspace.readable("../etc"))
                .isEqualTo(Workspace.safe("../etc"))
                .doesNotContain("/");
        assertThat(Workspace.readable("train[p=a/b]")).doesNotContain("/");
        assertThat(Workspace.readable(".hidden")).doesNotStartWith(".");
    }
}
