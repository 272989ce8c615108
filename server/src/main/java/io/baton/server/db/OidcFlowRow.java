package io.baton.server.db;

/** A row of {@code oidc_flows}: an OIDC sign-in between its redirect to the issuer and its callback. */
public record OidcFlowRow(String stateHash, String verifier, String nonce, String redirect, long createdAt) {}
