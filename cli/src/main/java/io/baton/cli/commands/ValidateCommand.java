package io.baton.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.cli.ApiCommand;
import io.baton.cli.CliException;
import io.baton.cli.Details;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code baton validate FILE}: the server's checks of a spec, as {@code FILE:line:column: message} lines. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description =
                "Checks a spec (baton.yaml) with the server; prints FILE:line:column: message per problem; exit 3 when invalid.")
public final class ValidateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    protected int run() {
        JsonNode answer = api().post("/pipelines/validate", Map.of("spec", read(file)));
        boolean valid = answer.path("valid").asBoolean();
        if (json()) {
            printJson(answer);
        } else if (valid) {
            out().println(file + ": valid");
        } else {
            for (JsonNode d : answer.path("details")) {
                err().println(Details.line(file.toString(), d));
            }
        }
        return valid ? 0 : CliException.BAD_INPUT;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CliException.badInput(file + ": no such file");
        } catch (IOException e) {
            throw CliException.badInput("cannot read " + file + ": " + e.getMessage());
        }
    }
}
