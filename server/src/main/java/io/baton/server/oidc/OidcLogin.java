package io.baton.server.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.baton.common.Hashing;
import io.baton.server.access.Access;
import io.baton.server.access.ProjectService;
import io.baton.server.access.UserService;
import io.baton.server.api.LoginView;
import io.baton.server.api.TokenView;
import io.baton.server.auth.TokenService;
import io.baton.server.core.AuditNote;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.db.OidcDao;
import io.baton.server.db.OidcFlowRow;
import io.baton.server.db.ProjectDao;
import io.baton.server.db.UserDao;
import io.baton.server.db.UserRow;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OIDC sign-in: the authorization-code flow with PKCE (S256), state and nonce against the configured issuer (found
 * through its discovery document); the ID token is checked by Nimbus' validator (signature by the issuer's JWKS,
 * issuer, audience, expiry, nonce). A first sign-in creates the user; the groups claim names the user's teams.
 */
public final class OidcLogin {
    private static final Logger log = LoggerFactory.getLogger(OidcLogin.class);
    /** The issuer's discovery document and keys are fetched again after this long. */
    private static final long METADATA_MILLIS = 3_600_000;

    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int MAX_GROUPS = 200;
    /** Sign-ins under way at once, all servers together: anyone may start one, so their rows are bounded. */
    static final long MAX_FLOWS = 10_000;
    /** Who created the teams and memberships that the groups claim gave. */
    private static final String BY = "oidc";

    private final OidcSettings settings;
    private final Jdbi jdbi;
    private final UserService users;
    private final ProjectService projects;
    private final Access access;
    private final TokenService tokens;
    private final long sessionMillis;
    private volatile Resolved resolved;

    private record Resolved(OIDCProviderMetadata metadata, IDTokenValidator validator, long at) {}

    /** A started sign-in: the issuer's URL to go to, the sign-in's state, the web UI's path (null: none). */
    public record Started(URI authorization, String state, String redirect) {}

    /** A finished sign-in: the session token, and the web UI's path to go to (null: answer JSON). */
    public record Finished(LoginView login, String redirect) {}

    public OidcLogin(
            OidcSettings settings,
            Jdbi jdbi,
            UserService users,
            ProjectService projects,
            Access access,
            TokenService tokens,
            long sessionMillis) {
        this.settings = settings;
        this.jdbi = jdbi;
        this.users = users;
        this.projects = projects;
        this.access = access;
        this.tokens = tokens;
        this.sessionMillis = sessionMillis;
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("OIDC settings: " + String.join("; ", problems));
        }
    }

    /**
     * {@code GET /api/v1/login/oidc}: records a new flow (state, nonce, PKCE verifier) and answers the issuer's
     * authorization URL. {@code redirect}: where the web UI goes after the callback, a path of this server's.
     */
    public Started start(String redirect) {
        requireEnabled();
        String path = redirect == null ? null : checkRedirect(redirect);
        Resolved issuer = issuer();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        long now = System.currentTimeMillis();
        OidcDao dao = jdbi.onDemand(OidcDao.class);
        dao.deleteFlowsBefore(now - settings.flowSeconds * 1000L);
        if (dao.countFlows() >= MAX_FLOWS) {
            throw new BatonException(
                    429, ErrorCodes.TOO_MANY_REQUESTS, "too many sign-ins under way; try again in a minute");
        }
        dao.insertFlow(
                new OidcFlowRow(Hashing.sha256(state.getValue()), verifier.getValue(), nonce.getValue(), path, now));
        URI authorization = new AuthenticationRequest.Builder(
                        ResponseType.CODE,
                        new Scope(settings.scopes.toArray(String[]::new)),
                        new ClientID(settings.clientId),
                        redirectUri())
                .endpointURI(issuer.metadata().getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        return new Started(authorization, state.getValue(), path);
    }

    /**
     * {@code GET /api/v1/login/oidc/callback}: uses the flow named by {@code state} (once), exchanges the code with
     * its verifier, validates the ID token against the flow's nonce, finds or creates the user, maps their groups to
     * teams, and issues a session token.
     */
    public Finished finish(String code, String state, String error, String errorDescription, String iss) {
        requireEnabled();
        if (state == null || state.isBlank() || state.length() > 512) {
            throw BatonException.badRequest("the callback has no 'state'; start the sign-in again");
        }
        OidcFlowRow flow = take(state)
                .orElseThrow(() ->
                        BatonException.badRequest("unknown, used or expired sign-in (state); start the sign-in again"));
        Resolved issuer = issuer();
        if (iss != null && !iss.equals(issuer.metadata().getIssuer().getValue())) {
            throw BatonException.badRequest("the callback names another issuer ('iss')");
        }
        if (error != null) {
            String why = errorDescription == null ? "" : ": " + clip(errorDescription, 200);
            throw unauthorized("the issuer refused the sign-in (" + clip(error, 100) + why + ")");
        }
        if (code == null || code.isBlank() || code.length() > 4096) {
            throw BatonException.badRequest("the callback has no 'code'");
        }
        OIDCTokens oidcTokens = exchange(issuer, code, flow.verifier());
        IDTokenClaimsSet idClaims = validate(issuer, oidcTokens.getIDToken(), flow.nonce());
        Map<String, Object> claims = claims(issuer, idClaims, oidcTokens);

        String subject = idClaims.getSubject().getValue();
        UserRow user = users.oidcUser(subject, text(claims.get(settings.usernameClaim)), text(claims.get("email")));
        AuditNote.user(user.name()); // who signed in, for the callback's audit entry
        if (user.disabledAt() != null) {
            throw new BatonException(403, ErrorCodes.FORBIDDEN, "user '" + user.name() + "' is disabled");
        }
        if (settings.groupsClaim != null && !settings.groupsClaim.isBlank()) {
            syncTeams(user, teamNames(claims.get(settings.groupsClaim)));
        }
        TokenView token = tokens.session(user, sessionMillis);
        log.info("OIDC sign-in of user '{}' (subject {})", user.name(), subject);
        return new Finished(new LoginView(token.token(), token.expiresAt(), UserService.view(user)), flow.redirect());
    }

    /** The flow of {@code state}, deleted as it is read: a state (and so its code) is used once. */
    private Optional<OidcFlowRow> take(String state) {
        String hash = Hashing.sha256(state);
        long oldest = System.currentTimeMillis() - settings.flowSeconds * 1000L;
        return jdbi.inTransaction(h -> {
            OidcDao dao = h.attach(OidcDao.class);
            Optional<OidcFlowRow> flow = dao.findFlow(hash);
            if (flow.isEmpty() || dao.deleteFlow(hash) != 1) {
                return Optional.empty();
            }
            return flow.filter(f -> f.createdAt() >= oldest);
        });
    }

    private OIDCTokens exchange(Resolved issuer, String code, String verifier) {
        AuthorizationGrant grant =
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri(), new CodeVerifier(verifier));
        ClientID client = new ClientID(settings.clientId);
        URI endpoint = issuer.metadata().getTokenEndpointURI();
        TokenRequest request = settings.clientSecret == null || settings.clientSecret.isBlank()
                ? new TokenRequest(endpoint, client, grant)
                : new TokenRequest(endpoint, new ClientSecretBasic(client, new Secret(settings.clientSecret)), grant);
        TokenResponse response;
        try {
            response =
                    OIDCTokenResponseParser.parse(timed(request.toHTTPRequest()).send());
        } catch (IOException e) {
            throw unavailable("the issuer's token endpoint cannot be reached: " + e.getMessage());
        } catch (ParseException e) {
            throw unauthorized("the issuer's token answer is not OpenID Connect's: " + e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject e = response.toErrorResponse().getErrorObject();
            throw unauthorized("the issuer refused the code (" + e.getCode() + ")");
        }
        return ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();
    }

    private static IDTokenClaimsSet validate(Resolved issuer, JWT idToken, String nonce) {
        if (idToken == null) {
            throw unauthorized("the issuer answered no ID token");
        }
        try {
            return issuer.validator().validate(idToken, new Nonce(nonce));
        } catch (BadJOSEException | JOSEException e) {
            throw unauthorized("the ID token is not valid: " + e.getMessage());
        }
    }

    /** The ID token's claims, completed from the UserInfo endpoint when the name or groups claim is not in it. */
    private Map<String, Object> claims(Resolved issuer, IDTokenClaimsSet idClaims, OIDCTokens oidcTokens) {
        Map<String, Object> claims = new HashMap<>(idClaims.toJSONObject());
        boolean wantGroups = settings.groupsClaim != null
                && !settings.groupsClaim.isBlank()
                && !claims.containsKey(settings.groupsClaim);
        URI endpoint = issuer.metadata().getUserInfoEndpointURI();
        BearerAccessToken access = oidcTokens.getBearerAccessToken();
        if ((wantGroups || !claims.containsKey(settings.usernameClaim)) && endpoint != null && access != null) {
            try {
                UserInfoResponse answer =
                        UserInfoResponse.parse(timed(new UserInfoRequest(endpoint, access).toHTTPRequest())
                                .send());
                UserInfo info =
                        answer.indicatesSuccess() ? answer.toSuccessResponse().getUserInfo() : null;
                if (info != null && idClaims.getSubject().equals(info.getSubject())) {
                    info.toJSONObject().forEach(claims::putIfAbsent);
                }
            } catch (IOException | ParseException e) {
                log.warn("OIDC: the UserInfo endpoint failed ({}); using the ID token's claims alone", e.getMessage());
            }
        }
        return claims;
    }

    /**
     * The user's teams become those the groups claim names: the missing ones are created and joined, and the
     * memberships an earlier sign-in gave are left when the claim no longer names their group (memberships given
     * by an admin stay).
     */
    private void syncTeams(UserRow user, Set<String> teams) {
        UserDao userDao = jdbi.onDemand(UserDao.class);
        ProjectDao projectDao = jdbi.onDemand(ProjectDao.class);
        Set<String> wanted = new TreeSet<>();
        for (String team : teams) {
            if (projectDao.findTeam(team).isEmpty() && userDao.findByName(team).isPresent()) {
                log.warn("OIDC: group '{}' is a user's name; no team made of it", team);
                continue;
            }
            projects.ensureTeam(team, BY);
            wanted.add(team);
        }
        long now = System.currentTimeMillis();
        jdbi.useTransaction(h -> {
            ProjectDao members = h.attach(ProjectDao.class);
            OidcDao oidc = h.attach(OidcDao.class);
            Set<String> given = new HashSet<>(oidc.teamsGiven(user.id()));
            for (String team : wanted) {
                if (members.addTeamMember(team, user.id(), BY, now) == 1 || given.contains(team)) {
                    oidc.given(team, user.id());
                }
            }
            for (String team : given) {
                if (!wanted.contains(team)) {
                    members.removeTeamMember(team, user.id());
                    oidc.notGiven(team, user.id());
                }
            }
        });
        access.changed();
    }

    /**
     * A groups claim (a list of names, or one name) as team names: lower case, runs of other characters than
     * letters, digits and '-' made one '-', leading non-letters dropped (Keycloak's "/ml/vision" is "ml-vision").
     */
    static Set<String> teamNames(Object claim) {
        List<?> groups = claim instanceof List<?> list ? list : claim instanceof String s ? List.of(s) : List.of();
        Set<String> teams = new TreeSet<>();
        for (Object group : groups.subList(0, Math.min(groups.size(), MAX_GROUPS))) {
            if (!(group instanceof String g)) {
                continue;
            }
            String team = g.toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9-]+", "-")
                    .replaceAll("^[^a-z]+", "")
                    .replaceAll("-+$", "");
            if (team.length() > 63) {
                team = team.substring(0, 63).replaceAll("-+$", "");
            }
            if (!team.isEmpty() && !team.equals(ProjectService.EVERYONE)) {
                teams.add(team);
            }
        }
        return teams;
    }

    /** A path of this server's (refusing absolute URLs, {@code //host}, backslashes and control characters). */
    static String checkRedirect(String redirect) {
        boolean ok = redirect.length() <= 2000
                && redirect.startsWith("/")
                && !redirect.startsWith("//")
                && redirect.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\');
        if (ok) {
            try {
                URI uri = new URI(redirect);
                ok = uri.getScheme() == null && uri.getRawAuthority() == null;
            } catch (URISyntaxException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw BatonException.badRequest("'redirect' must be a path of this server's, like /runs");
        }
        return redirect;
    }

    private Resolved issuer() {
        long now = System.currentTimeMillis();
        Resolved known = resolved;
        if (known != null && now - known.at() < METADATA_MILLIS) {
            return known;
        }
        synchronized (this) {
            known = resolved;
            if (known != null && now - known.at() < METADATA_MILLIS) {
                return known;
            }
            try {
                OIDCProviderMetadata metadata =
                        OIDCProviderMetadata.resolve(new Issuer(settings.issuer), TIMEOUT_MILLIS, TIMEOUT_MILLIS);
                IDTokenValidator validator = new IDTokenValidator(
                        metadata.getIssuer(),
                        new ClientID(settings.clientId),
                        JWSAlgorithm.parse(settings.idTokenAlgorithm),
                        metadata.getJWKSetURI().toURL(),
                        new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS));
                resolved = new Resolved(metadata, validator, now);
                return resolved;
            } catch (GeneralException | IOException | RuntimeException e) {
                if (known != null) {
                    log.warn(
                            "OIDC: cannot read the issuer's discovery document again ({}); using the last",
                            e.toString());
                    return known;
                }
                log.warn("OIDC: cannot read the issuer's discovery document", e);
                throw unavailable("the OIDC issuer cannot be reached; try again later");
            }
        }
    }

    private URI redirectUri() {
        return URI.create(settings.redirectUri);
    }

    /** Whether OIDC sign-in is configured (the web UI's sign-in page offers it then). */
    public boolean enabled() {
        return settings.enabled();
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw BatonException.notFound("OIDC sign-in is not configured on this server");
        }
    }

    private static HTTPRequest timed(HTTPRequest request) {
        request.setConnectTimeout(TIMEOUT_MILLIS);
        request.setReadTimeout(TIMEOUT_MILLIS);
        return request;
    }

    private static String text(Object claim) {
        return claim instanceof String s ? s : null;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static BatonException unauthorized(String message) {
        return new BatonException(401, ErrorCodes.UNAUTHORIZED, message);
    }

    private static BatonException unavailable(String message) {
        return new BatonException(502, ErrorCodes.UNAVAILABLE, message);
    }

    /** Settings that cannot work, found at start rather than at the first sign-in. */
    static List<String> problems(OidcSettings settings) {
        List<String> problems = new ArrayList<>();
        if (!settings.enabled()) {
            return problems;
        }
        if (settings.clientId == null || settings.clientId.isBlank()) {
            problems.add("oidc.clientId is empty");
        }
        if (settings.redirectUri == null || !settings.redirectUri.matches("https?://.+")) {
            problems.add("oidc.redirectUri must be the callback's public URL, like "
                    + "https://baton.example.com/api/v1/login/oidc/callback");
        }
        if (settings.scopes == null || !settings.scopes.contains("openid")) {
            problems.add("oidc.scopes must hold 'openid'");
        }
        return problems;
    }
}
