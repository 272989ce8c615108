package io.baton.server.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The web UI's end of an OIDC sign-in: a page whose one script puts the session token into the tab's
 * {@code sessionStorage} ({@code baton.token}) and goes to the UI's path; no cookie, the token in no URL.
 */
public record SignInPage(String html, String contentSecurityPolicy) {
    public static SignInPage of(String token, String path) {
        String script =
                "sessionStorage.setItem(\"baton.token\",\"" + js(token) + "\");location.replace(\"" + js(path) + "\");";
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
