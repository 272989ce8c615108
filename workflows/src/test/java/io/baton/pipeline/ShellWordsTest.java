package io.baton.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void splitsOnUnquotedWhitespace() {
        assertThat(ShellWords.split("  python3   train.py\t--x\n1 "))
                .containsExactly("python3", "train.py", "--x", "1");
        assertThat(ShellWords.split("")).isEmpty();
        assertThat(ShellWords.split("   ")).isEmpty();
    }

    @Test
    void singleQuotesAreLiteral() {
        assertThat(ShellWords.split("echo 'a  b' '$HOME \\n \"x\"'"))
                .containsExactly("echo", "a  b", "$HOME \\n \"x\"");
    }

    @Test
    void doubleQuotesEscapeOnlyQuoteBackslashDollarAndBacktick() {
        assertThat(ShellWords.split("\"a \\\" \\\\ \\$ \\` \\n b\"")).containsExactly("a \" \\ $ ` \\n b");
    }

    @Test
    void backslashOutsideQuotesEscapesTheNextCharacter() {
        assertThat(ShellWords.split("a\\ b c\\'d \\\\")).containsExactly("a b", "c'd", "\\");
        assertThat(ShellWords.split("a \\\n b")).containsExactly("a", "b");
    }

    @Test
    void adjacentPartsFormOneWordAndEmptyQuotesAnEmptyArgument() {
        assertThat(ShellWords.split("--name='my model'\"!\"x")).containsExactly("--name=my model!x");
        assertThat(ShellWords.split("a '' \"\" b")).containsExactly("a", "", "", "b");
    }

    @Test
    void neverEvaluatesAnything() {
        assertThat(ShellWords.split("echo $(rm -rf /) `id` ${HOME} ~ *.py a;b|c>d && e"))
                .containsExactly("echo", "$(rm", "-rf", "/)", "`id`", "${HOME}", "~", "*.py", "a;b|c>d", "&&", "e");
    }

    @Test
    void rejectsUnterminatedQuotesAndTrailingBackslash() {
        assertThatThrownBy(() -> ShellWords.split("echo 'a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated single quote at character 6");
        assertThatThrownBy(() -> ShellWords.split("echo \"a\\\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated double quote at character 6");
        assertThatThrownBy(() -> ShellWords.split("echo a\\"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the command ends with a lone backslash");
    }
}
