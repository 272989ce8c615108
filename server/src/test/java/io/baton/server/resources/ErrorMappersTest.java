package io.baton.server.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.sql.SQLException;
import org.eclipse.jetty.io.EofException;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;

class ErrorMappersTest {
    private final ErrorMappers mappers = new ErrorMappers();

    @Test
    void aClientThatLeftMidBodyIsAQuiet400() {
        assertThat(mappers.toResponse(new RuntimeException(new EofException("early EOF")))
                        .getStatus())
                .isEqualTo(400);
    }

    @Test
    void aDatabaseConnectionLostMidQueryIsTheServersFailureNotAnAbortedRequest() {
        // Connector/J reports a server that went away mid-read with an EOFException inside its SQLException: a worker
        // told 400 would drop its report for good, where a 500 makes it try again once the database is back
        Throwable lost = new ConnectionException(
                new SQLException("Communications link failure", new EOFException("Can not read response from server")));

        assertThat(mappers.toResponse(lost).getStatus()).isEqualTo(500);
    }
}
