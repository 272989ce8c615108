package io.baton.bundle;

/** How big an unpacked bundle may be, so that a small archive cannot unpack into a flood (a "zip bomb"). */
public record BundleLimits(int maxFiles, long maxUnpackedBytes) {
    public static final BundleLimits DEFAULT = new BundleLimits(100_000, 4L << 30);
}
