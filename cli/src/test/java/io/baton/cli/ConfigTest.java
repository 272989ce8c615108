package io.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file shared with the Python package: where it is, how it reads and writes, what overrides it. */
class ConfigTest {
    @TempDir
    Path home;

    @Test
    void livesUnderXdgConfigHomeWhenSetElseUnderHome() {
        assertThat(Config.file(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.config/baton/config.yml"));
        assertThat(Config.file(Map.of("HOME", "/h", "XDG_CONFIG_HOME", "/x")))
                .isEqualTo(Path.of("/x/baton/config.yml"));
    }

    @Test
    void savesWithMode600InAFolderOf700KeepingOtherKeys() throws Exception {
        Map<String, String> env = Map.of("HOME", home.toString());
        Path file = home.resolve(".config/baton/config.yml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# mine\nproject: vision\ncolour: \"blue # not a comment\"\n");

        Config.load(env).save(Map.of("server", "http://h:8080", "token", "bt_abc"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        Config again = Config.load(env);
        assertThat(again.server(null)).isEqualTo("http://h:8080");
        assertThat(again.token(null)).isEqualTo("bt_abc");
        assertThat(again.project(null)).isEqualTo("vision");
        assertThat(Config.parse(Files.readString(file))).containsEntry("colour", "blue # not a comment");
        for (String line : Files.readAllLines(file)) {
            assertThat(line).as("one key: value per line, or a comment").matches("#.*|[a-z]+: .+");
        }

        Map<String, String> removal = new HashMap<>();
        removal.put("token", null);
        Config.load(env).save(removal);
        assertThat(Config.load(env).token(null)).isNull();
        assertThat(Config.load(env).project(null)).isEqualTo("vision");
    }

    @Test
    void aNewFolderGetsMode700() throws Exception {
        Config.load(Map.of("XDG_CONFIG_HOME", home.resolve("x").toString())).save(Map.of("token", "t"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("x/baton"))))
                .isEqualTo("rwx------");
    }

    @Test
    void optionsBeatEnvironmentBeatsTheFile() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(Map.of("HOME", home.toString()));
        Config.load(env).save(Map.of("server", "http://file:1", "token", "from-file"));
        env.put("BATON_SERVER", "http://env:2/api/v1/");
        env.put("BATON_TOKEN", "from-env");
        Config config = Config.load(env);

        assertThat(config.server(null)).isEqualTo("http://env:2");
        assertThat(config.server("http://option:3")).isEqualTo("http://option:3");
        assertThat(config.token(null)).isEqualTo("from-env");
        assertThat(config.token("from-option")).isEqualTo("from-option");
        assertThat(Config.load(Map.of("HOME", home.resolve("none").toString())).server(null))
                .isEqualTo(Config.DEFAULT_SERVER);
    }

    @Test
    void readsQuotesCommentsAndDropsATrailingApiV1() {
        assertThat(Config.parse("server: 'http://a:8080/api/v1'  # mine\ntoken: bt_x # c\n\n# only a comment\n"))
                .containsEntry("server", "http://a:8080/api/v1")
                .containsEntry("token", "bt_x");
        assertThat(Config.normalizeServer("http://a:8080/api/v1/")).isEqualTo("http://a:8080");
        assertThatThrownBy(() -> Config.normalizeServer("ftp://a")).isInstanceOf(CliException.class);
    }
}
