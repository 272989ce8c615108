package io.baton.protocol;

/** The server's answer to an attempt start: how many earlier attempts of the step failed their command. */
public record AttemptStarted(int number, int failures) {
}
