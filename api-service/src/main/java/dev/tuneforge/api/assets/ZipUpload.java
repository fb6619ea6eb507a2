package dev.tuneforge.api.assets;

import dev.tuneforge.common.storage.SafePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unpacks an uploaded zip into a private directory. Every entry name must stay inside that
 * directory ({@link SafePaths}): an archive with an absolute or {@code ..} entry is refused as a
 * whole, naming the entries. Sizes are counted while inflating, so a zip bomb stops at the limit
 * whatever its headers claim. Folders, and the hidden files archivers add ({@code __MACOSX/},
 * {@code .DS_Store}), are not files of the upload.
 */
public final class ZipUpload {
    private static final int BUFFER = 64 * 1024;

    private ZipUpload() {
    }

    public static List<UploadedFile> extract(UploadedFile zip, Path directory, UploadLimits limits) {
        try (ZipFile archive = new ZipFile(zip.path().toFile())) {
            List<? extends ZipEntry> entries = fileEntries(archive);
            refuseEscapes(zip.name(), entries, directory);
            limits.checkCount(entries.size());
            List<UploadedFile> files = new ArrayList<>();
            long total = 0;
            for (ZipEntry entry : entries) {
                Path target = SafePaths.resolveInside(directory, entry.getName());
                Files.createDirectories(target.getParent());
                long size = inflate(archive, entry, target, limits.maxFileBytes());
                total += size;
                limits.checkTotal(total);
                files.add(new UploadedFile(entry.getName(), target, size));
            }
            return files;
        } catch (ZipException e) {
            throw new InvalidUploadException("not a readable zip archive",
                    List.of(new RejectedFile(zip.name(), "not a readable zip archive: " + e.getMessage())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot unpack the uploaded zip " + zip.name(), e);
        }
    }

    private static List<? extends ZipEntry> fileEntries(ZipFile archive) {
        List<ZipEntry> entries = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = archive.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            if (!entry.isDirectory() && !archiverNoise(entry.getName())) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static boolean archiverNoise(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        return name.startsWith("__MACOSX/") || base.startsWith(".");
    }

    private static void refuseEscapes(String zipName, List<? extends ZipEntry> entries, Path directory) {
        List<RejectedFile> escaping = new ArrayList<>();
        for (ZipEntry entry : entries) {
            try {
                if (entry.getName().contains("\\")) {
                    throw new IllegalArgumentException("backslash in entry name");
                }
                SafePaths.resolveInside(directory, entry.getName());
            } catch (IllegalArgumentException e) {
                escaping.add(new RejectedFile(entry.getName(), "entry path leaves the archive (absolute or '..')"));
            }
        }
        if (!escaping.isEmpty()) {
            throw new InvalidUploadException(zipName + " has " + escaping.size()
                    + " entries whose path leaves the archive; nothing was stored", escaping);
        }
    }

    private static long inflate(ZipFile archive, ZipEntry entry, Path target, long maxBytes) throws IOException {
        long written = 0;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = archive.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                written += n;
                if (written > maxBytes) {
                    throw new UploadTooLargeException(entry.getName() + " holds more than " + maxBytes
                            + " bytes; at most " + maxBytes + " per file are accepted");
                }
                out.write(buffer, 0, n);
            }
        }
        return written;
    }
}
