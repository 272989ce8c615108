package io.baton.server.auth;

import java.security.Principal;

/** Who is calling: the token's name, its kind (user or worker) and whether it is an admin. */
public record Caller(String tokenId, String name, String kind, boolean admin) implements Principal {
  public static final String USER = "user";
  public static final String WORKER = "worker";
  /** The role of routes only an admin may call. */
  public static final String ADMIN = "admin";

  @Override
  public String getName() {
    return name;
  }

  /** Admins may do everything; other tokens exactly what their kind allows. */
  public boolean hasRole(String role) {
    return admin || role.equals(kind);
  }
}
