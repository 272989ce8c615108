package io.baton.server.oidc;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The web UI's pages of an OIDC sign-in, each one script allowed by its hash: the first keeps the sign-in's state in
 * the tab's {@code sessionStorage} and goes to the issuer; the last, only in a tab holding that state, puts the
 * session token into {@code sessionStorage} ({@code baton.token}) and goes to the UI's path. No cookie; no token in a URL.
 */
public record SignInPage(String html, String contentSecurityPolicy) {
    /** The tab's key for the state of the sign-in it started. */
    static final String STATE_KEY = "baton.oidc.state";

    static final String TOKEN_KEY = "baton.token";

    /** The page that starts a sign-in in this tab. */
    public static SignInPage starting(URI authorization, String state) {
        return of("sessionStorage.setItem(\"" + STATE_KEY + "\",\"" + js(state) + "\");location.replace(\""
                + js(authorization.toString()) + "\");");
    }

    /** The page that ends it: a tab that did not start this sign-in (a crafted link) gets no token. */
    public static SignInPage finishing(String token, String state, String path) {
        return of("if(sessionStorage.getItem(\"" + STATE_KEY + "\")===\"" + js(state) + "\"){"
                + "sessionStorage.removeItem(\"" + STATE_KEY + "\");"
                + "sessionStorage.setItem(\"" + TOKEN_KEY + "\",\"" + js(token) + "\");"
                + "location.replace(\"" + js(path) + "\");"
                + "}else{document.body.textContent=\"This sign-in was not started in this tab: start it again.\";}");
    }

    private static SignInPage of(String script) {
        String html = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Baton: signing in</title></head>\n"
                + "<body><noscript>Signing in to Baton needs JavaScript.</noscript><script>" + script
                + "</script></body></html>\n";
        // only this script may run; nothing else is loaded, framed or sent
        String policy = "default-src 'none'; script-src 'sha256-" + sha256(script)
                + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return new SignInPage(html, policy);
    }

    /** A JavaScript string's content: anything but plain URL characters as a \\u escape (no quote, no '<'). */
    static String js(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "/_-.~?=&%:,+".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
