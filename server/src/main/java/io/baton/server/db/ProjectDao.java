package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Projects, teams and who holds which role where. */
@RegisterConstructorMapper(ProjectRow.class)
@RegisterConstructorMapper(TeamRow.class)
@RegisterConstructorMapper(MemberRow.class)
public interface ProjectDao {
    @SqlUpdate("INSERT INTO projects (name, description, created_by, created_by_id, created_at)"
            + " VALUES (:name, :description, :createdBy, :createdById, :createdAt)")
    void insert(@BindMethods ProjectRow project);

    @SqlQuery("SELECT * FROM projects WHERE name = :name")
    Optional<ProjectRow> find(String name);

    @SqlQuery("SELECT * FROM projects WHERE name > :after ORDER BY name LIMIT :limit")
    List<ProjectRow> page(String after, int limit);

    @SqlQuery("SELECT * FROM projects WHERE name IN (<names>) AND name > :after ORDER BY name LIMIT :limit")
    List<ProjectRow> pageOf(@BindList("names") List<String> names, String after, int limit);

    /** Every grant that reaches a user: their own, their teams', and team {@code everyone}'s. */
    @SqlQuery("SELECT * FROM project_members WHERE (member_kind = 'USER' AND member = :userId)"
            + " OR (member_kind = 'TEAM' AND (member = 'everyone'"
            + " OR member IN (SELECT team FROM team_members WHERE user_id = :userId)))")
    List<MemberRow> grantsOf(String userId);

    @SqlQuery("SELECT * FROM project_members WHERE project = :project ORDER BY member_kind, member")
    List<MemberRow> members(String project);

    @SqlUpdate("DELETE FROM project_members WHERE project = :project AND member_kind = :memberKind"
            + " AND member = :member")
    int removeMember(String project, String memberKind, String member);

    @SqlUpdate("INSERT INTO project_members (project, member_kind, member, role, can_approve, can_promote,"
            + " granted_by, granted_at) VALUES (:project, :memberKind, :member, :role, :canApprove, :canPromote,"
            + " :grantedBy, :grantedAt)")
    void addMember(@BindMethods MemberRow member);

    @SqlUpdate("INSERT INTO teams (name, description, created_by, created_at)"
            + " VALUES (:name, :description, :createdBy, :createdAt)")
    void insertTeam(@BindMethods TeamRow team);

    @SqlQuery("SELECT * FROM teams WHERE name = :name")
    Optional<TeamRow> findTeam(String name);

    @SqlQuery("SELECT * FROM teams ORDER BY name")
    List<TeamRow> teams();

    @SqlQuery("SELECT t.* FROM teams t JOIN team_members m ON m.team = t.name WHERE m.user_id = :userId"
            + " ORDER BY t.name")
    List<TeamRow> teamsOf(String userId);

    @SqlQuery("SELECT u.name FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team = :team"
            + " ORDER BY u.name")
    List<String> teamMemberNames(String team);

    @SqlUpdate("INSERT INTO team_members (team, user_id, added_by, added_at) SELECT :team, :userId, :addedBy, :now"
            + " FROM teams WHERE name = :team AND NOT EXISTS (SELECT 1 FROM team_members WHERE team = :team"
            + " AND user_id = :userId)")
    int addTeamMember(String team, String userId, String addedBy, long now);

    @SqlUpdate("DELETE FROM team_members WHERE team = :team AND user_id = :userId")
    int removeTeamMember(String team, String userId);
}
