package org.activedefense.observe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagementLoginTest {

    @TempDir
    Path dir;

    @Test
    void aGeneratedPasswordIsKeptAcrossStarts() throws Exception {
        Path file = dir.resolve("data/management-users.properties");
        ManagementLogin.Login first = ManagementLogin.ensure(file, "monitor", "");
        assertTrue(first.generated());
        assertTrue(first.password().length() >= 20, first.password());
        assertTrue(Files.readString(file).contains("user.monitor = " + first.password() + ",operator\n"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        ManagementLogin.Login second = ManagementLogin.ensure(file, "monitor", "");
        assertFalse(second.generated());
        assertEquals(first.password(), second.password());
        assertNotEquals(first.password(), ManagementLogin.ensure(dir.resolve("other.properties"), "monitor", "").password());
    }

    @Test
    void aConfiguredPasswordReplacesTheKeptOne() throws Exception {
        Path file = dir.resolve("users.properties");
        ManagementLogin.ensure(file, "monitor", "");
        ManagementLogin.Login set = ManagementLogin.ensure(file, "monitor", "s3cret=with=equals");
        assertFalse(set.generated());
        assertTrue(Files.readString(file).contains("user.monitor = s3cret=with=equals,operator"));
    }

    @Test
    void valuesTheFileFormatCannotCarryAreRefused() {
        Path file = dir.resolve("users.properties");
        assertThrows(IllegalArgumentException.class, () -> ManagementLogin.ensure(file, "monitor", "a,b"));
        assertThrows(IllegalArgumentException.class, () -> ManagementLogin.ensure(file, "monitor", "a b"));
        assertThrows(IllegalArgumentException.class, () -> ManagementLogin.ensure(file, "mon itor", "x"));
        assertThrows(IllegalArgumentException.class, () -> ManagementLogin.ensure(file, "", "x"));
    }
}
