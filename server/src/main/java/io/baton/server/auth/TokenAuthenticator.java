package io.baton.server.auth;

import io.dropwizard.auth.Authenticator;
import java.util.Optional;

/** A bearer token's secret to its {@link Caller}, through {@link TokenService} (tokens are stored hashed). */
public final class TokenAuthenticator implements Authenticator<String, Caller> {
    private final TokenService tokens;

    public TokenAuthenticator(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<Caller> authenticate(String secret) {
        return tokens.authenticate(secret);
    }
}
