package db.migration;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.core.Json;
import io.baton.server.db.RunParameterRow;
import io.baton.server.runs.RunParameters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Fills {@code run_parameters} (V6) for the runs recorded before it existed, from the JSON in
 * {@code runs.parameters}, with the same rows a new run gets. Reads runs a page at a time, by id.
 */
public class V6_1__BackfillRunParameters extends BaseJavaMigration {
    private static final int PAGE = 500;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (PreparedStatement page =
                        c.prepareStatement("SELECT id, parameters FROM runs WHERE id > ? ORDER BY id LIMIT " + PAGE);
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO run_parameters (run_id, name, value_number, value_text) VALUES (?, ?, ?, ?)")) {
            String after = "";
            int read;
            do {
                page.setString(1, after);
                read = 0;
                try (ResultSet runs = page.executeQuery()) {
                    while (runs.next()) {
                        after = runs.getString(1);
                        read++;
                        add(
                                insert,
                                after,
                                Json.read(runs.getString(2), new TypeReference<LinkedHashMap<String, Object>>() {}));
                    }
                }
                insert.executeBatch();
            } while (read == PAGE);
        }
    }

    private static void add(PreparedStatement insert, String runId, Map<String, Object> parameters)
            throws SQLException {
        for (RunParameterRow row : RunParameters.rows(parameters)) {
            insert.setString(1, runId);
            insert.setString(2, row.name());
            if (row.number() == null) {
                insert.setNull(3, Types.DOUBLE);
            } else {
                insert.setDouble(3, row.number());
            }
            insert.setString(4, row.text());
            insert.addBatch();
        }
    }
}
