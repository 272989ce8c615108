package io.baton.bundle;

/** A code bundle that Baton refuses; {@link #tooLarge()} tells a size limit from an unsafe or broken archive. */
public final class BundleException extends Exception {
    private final boolean tooLarge;

    private BundleException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    public static BundleException unsafe(String message) {
        return new BundleException(message, false);
    }

    public static BundleException tooLarge(String message) {
        return new BundleException(message, true);
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}
