package io.github.wardops.ward.runner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version for {@code --version}, from the build (a filtered resource). */
public final class VersionProvider implements IVersionProvider {
    /** Creates the provider. */
    public VersionProvider() {
    }

    /**
     * The runner's version, such as {@code 0.1.0-SNAPSHOT}.
     *
     * @return the version, or {@code unknown}
     */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/ward-runner.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"ward " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
