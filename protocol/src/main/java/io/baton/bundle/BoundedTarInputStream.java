package io.baton.bundle;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * A tar reader that refuses a GNU long name or a PAX header larger than any name could be, from its header and
 * before reading it: Commons Compress reads them whole into memory, and 300 MiB of one letter gzip to 300 KB.
 */
final class BoundedTarInputStream extends TarArchiveInputStream {
    /** PATH_MAX, with its NUL: no longer name can be unpacked anyway. */
    static final int MAX_LONG_NAME_BYTES = 4096;
    /** A PAX header holds a few names, times and sizes (and a sparse file's map): a mebibyte is far more. */
    static final int MAX_PAX_HEADER_BYTES = 1 << 20;

    private static final int TYPE = 156;
    private static final int SIZE = 124;
    private static final int SIZE_LENGTH = 12;

    BoundedTarInputStream(InputStream in) {
        super(in);
    }

    /** Every header passes here before Commons Compress acts on it (file contents do not). */
    @Override
    protected byte[] readRecord() throws IOException {
        byte[] record = super.readRecord();
        if (record != null && record.length > TYPE) {
            check(record);
        }
        return record;
    }

    private static void check(byte[] header) throws IOException {
        long limit;
        String what;
        switch (header[TYPE]) {
            case 'L', 'K' -> {
                limit = MAX_LONG_NAME_BYTES;
                what = "a GNU long name";
            }
            case 'x', 'X', 'g' -> {
                limit = MAX_PAX_HEADER_BYTES;
                what = "a PAX header";
            }
            default -> {
                return;
            }
        }
        long size;
        try {
            size = TarUtils.parseOctalOrBinary(header, SIZE, SIZE_LENGTH);
        } catch (IllegalArgumentException e) {
            throw new IOException(what + " has an unreadable size");
        }
        if (size > limit) {
            throw new IOException(what + " of " + size + " bytes; at most " + limit + " are allowed");
        }
    }
}
