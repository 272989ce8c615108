package io.baton.bundle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A bundle's tree as its entries build it, so that a path is followed through the bundle's own links as the kernel
 * will follow it once unpacked (a link that looks inside can lead out through another).
 */
final class BundleTree {
    private static final int MAX_HOPS = 40;

    private final Map<String, String> links = new HashMap<>();
    private final Map<String, Long> files = new HashMap<>();
    private final Set<String> folders = new HashSet<>();

    /** Where an entry lands: its folder followed through the links seen so far, then its own name. */
    String place(String name) throws BundleException {
        int slash = name.lastIndexOf('/');
        String folder = slash < 0 ? "" : follow("", name.substring(0, slash), name);
        for (String f = folder; !f.isEmpty(); f = parent(f)) {
            if (files.containsKey(f)) {
                throw BundleException.unsafe("bundle entry '" + name + "' lies under '" + f + "', which is a file");
            }
            folders.add(f);
        }
        return join(folder, name.substring(slash + 1));
    }

    void folder(String at, String name) throws BundleException {
        if (links.containsKey(at) || files.containsKey(at)) {
            throw BundleException.unsafe("bundle folder '" + name + "' is also a file or a link");
        }
        folders.add(at);
    }

    void file(String at, String name, long size) throws BundleException {
        replace(at, name);
        files.put(at, size);
    }

    void symlink(String at, String name, String target) throws BundleException {
        if (target == null || target.isEmpty() || target.startsWith("/")) {
            throw BundleException.unsafe("bundle link '" + name + "' points to '" + target + "', outside the bundle");
        }
        if (follow(parent(at), target, name).isEmpty()) {
            throw BundleException.unsafe("bundle link '" + name + "' points to the bundle's root");
        }
        replace(at, name);
        links.put(at, target);
    }

    /** A hard link unpacks as a copy of its source, an earlier file; returns the source's size. */
    long hardLink(String at, String name, String target) throws BundleException {
        if (target == null || target.isEmpty() || target.startsWith("/")) {
            throw BundleException.unsafe("bundle link '" + name + "' points to '" + target + "', outside the bundle");
        }
        Long size = files.get(follow("", target, name));
        if (size == null) {
            throw BundleException.unsafe(
                    "bundle hard link '" + name + "' names '" + target + "', which is not a file before it");
        }
        file(at, name, size);
        return size;
    }

    /** Follows every link again in the finished tree: a later link can change where an earlier one leads. */
    void checkLinks() throws BundleException {
        for (Map.Entry<String, String> link : links.entrySet()) {
            follow(parent(link.getKey()), link.getValue(), link.getKey());
        }
    }

    private void replace(String at, String name) throws BundleException {
        if (folders.contains(at)) {
            throw BundleException.unsafe("bundle entry '" + name + "' would replace a folder");
        }
        links.remove(at);
        files.remove(at);
    }

    /** The path {@code path} leads to from folder {@code from}; refused when it leaves the bundle. */
    private String follow(String from, String path, String entry) throws BundleException {
        Deque<String> at = new ArrayDeque<>();
        for (String part : from.split("/")) {
            if (!part.isEmpty()) {
                at.addLast(part);
            }
        }
        follow(at, path, entry, new int[1]);
        return String.join("/", at);
    }

    private void follow(Deque<String> at, String path, String entry, int[] hops) throws BundleException {
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (at.isEmpty()) {
                    throw BundleException.unsafe(
                            "bundle entry '" + entry + "' leads outside the bundle through '..' or a link");
                }
                at.removeLast();
                continue;
            }
            at.addLast(part);
            String target = links.get(String.join("/", at));
            if (target != null) {
                if (++hops[0] > MAX_HOPS) {
                    throw BundleException.unsafe("bundle entry '" + entry + "' goes through a loop of links");
                }
                at.removeLast();
                follow(at, target, entry, hops);
            }
        }
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String join(String folder, String name) {
        return folder.isEmpty() ? name : folder + "/" + name;
    }
}
