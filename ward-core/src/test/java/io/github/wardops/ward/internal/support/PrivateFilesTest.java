package io.github.wardops.ward.internal.support;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void newDirectoriesAndTheirMissingParentsAreForTheOwnerOnly() throws IOException {
        Path d = dir.resolve("a/b/data");
        PrivateFiles.directory(d);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.getParent())));
    }

    @Test
    void anExistingOpenDirectoryIsTightened() throws IOException {
        Path d = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
        PrivateFiles.directory(d);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
    }

    @Test
    void aSymbolicLinkOrAFileIsRefused() throws IOException {
        Path target = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertTrue(assertThrows(IOException.class, () -> PrivateFiles.directory(link)).getMessage().contains("symbolic link"));
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertTrue(assertThrows(IOException.class, () -> PrivateFiles.directory(file)).getMessage().contains("not a directory"));
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws Exception {
        Path d = Files.createDirectory(dir.resolve("theirs"));
        int me = PrivateFiles.processUid();
        assertTrue(me >= 0, "uid of this process");
        Files.setAttribute(d, "unix:uid", me == 65534 ? 65533 : 65534); // chown: needs root, as the suite runs
        IOException e = assertThrows(IOException.class, () -> PrivateFiles.directory(d));
        assertTrue(e.getMessage().contains("belongs to uid"), e.getMessage());
    }

    @Test
    void filesAreCreatedForTheOwnerOnly() throws IOException {
        Path f = dir.resolve("f");
        try (FileChannel ch = FileChannel.open(f, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes(dir))) {
            assertTrue(ch.isOpen());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
}
