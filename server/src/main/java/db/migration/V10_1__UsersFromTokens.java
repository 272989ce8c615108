package db.migration;

import io.baton.server.core.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Moves what was there before V10 into its tables, keeping everyone's access: one user per name a user token
 * carried (an admin token makes an admin), that user's tokens, every project a run, pipeline, dataset or model
 * named, each user an editor of each of them (they could write every project before), and project {@code default}
 * open to team {@code everyone} as an editor.
 */
public class V10_1__UsersFromTokens extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        long now = System.currentTimeMillis();
        Map<String, Boolean> users = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT name, MAX(CASE WHEN admin THEN 1 ELSE 0 END) FROM tokens WHERE kind = 'user'"
                                + " GROUP BY name ORDER BY name")) {
            while (r.next()) {
                users.put(r.getString(1), r.getInt(2) == 1);
            }
        }
        List<String> projects = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT project FROM runs UNION SELECT project FROM pipeline_versions"
                        + " UNION SELECT project FROM datasets UNION SELECT project FROM models")) {
            while (r.next()) {
                projects.add(r.getString(1));
            }
        }
        if (!projects.contains("default")) {
            projects.add("default");
        }
        try (PreparedStatement project =
                c.prepareStatement("INSERT INTO projects (name, created_by, created_at) VALUES (?, 'baton', ?)")) {
            for (String p : projects) {
                project.setString(1, p);
                project.setLong(2, now);
                project.addBatch();
            }
            project.executeBatch();
        }
        try (PreparedStatement user = c.prepareStatement("INSERT INTO users (id, name, admin, created_by, created_at)"
                        + " VALUES (?, ?, ?, 'baton', ?)");
                PreparedStatement tokens =
                        c.prepareStatement("UPDATE tokens SET user_id = ? WHERE kind = 'user' AND name = ?");
                PreparedStatement member = c.prepareStatement("INSERT INTO project_members (project, member_kind,"
                        + " member, role, can_approve, can_promote, granted_by, granted_at)"
                        + " VALUES (?, 'USER', ?, 'editor', TRUE, TRUE, 'baton', ?)")) {
            for (Map.Entry<String, Boolean> u : users.entrySet()) {
                String id = Ids.newId();
                user.setString(1, id);
                user.setString(2, u.getKey());
                user.setBoolean(3, u.getValue());
                user.setLong(4, now);
                user.addBatch();
                tokens.setString(1, id);
                tokens.setString(2, u.getKey());
                tokens.addBatch();
                if (!u.getValue()) {
                    for (String p : projects) {
                        member.setString(1, p);
                        member.setString(2, id);
                        member.setLong(3, now);
                        member.addBatch();
                    }
                }
            }
            user.executeBatch();
            tokens.executeBatch();
            member.executeBatch();
        }
        try (PreparedStatement everyone = c.prepareStatement("INSERT INTO project_members (project, member_kind,"
                + " member, role, can_approve, can_promote, granted_by, granted_at)"
                + " VALUES ('default', 'TEAM', 'everyone', 'editor', FALSE, FALSE, 'baton', ?)")) {
            everyone.setLong(1, now);
            everyone.executeUpdate();
        }
    }
}
