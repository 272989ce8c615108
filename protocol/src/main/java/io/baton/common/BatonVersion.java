package io.baton.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Baton's version, the Maven project version filtered into {@code version.properties} ("dev" when
 * absent).
 */
public final class BatonVersion {
    private BatonVersion() {}

    public static String version() {
        try (InputStream in = BatonVersion.class.getResourceAsStream("/io/baton/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
