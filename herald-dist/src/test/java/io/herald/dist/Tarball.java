package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** herald-VERSION.tar.gz as this build made it (failsafe passes its path), unpacked the way a user would. */
final class Tarball {
    private Tarball() {
    }

    /**
     * Unpacks the tarball with the system's tar into {@code root}/opt and names its top directory herald, as the
     * systemd units expect it (/opt/herald): {@code root} can then also serve as systemd-analyze's root.
     *
     * @return the installed distribution, {@code root}/opt/herald
     */
    static Path unpackInto(Path root) throws IOException, InterruptedException {
        Path tarball = Path.of(System.getProperty("herald.tarball", "target/missing.tar.gz"));
        assertThat(tarball).as("the tarball 'mvn package' built").isRegularFile();
        Path opt = Files.createDirectories(root.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", opt.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).as("tar ended").isTrue();
        assertThat(tar.exitValue()).as("tar -xzf: %s", new String(tar.getInputStream().readAllBytes())).isZero();
        Path top = opt.resolve(System.getProperty("herald.dist.name"));
        assertThat(top).as("the tarball's one top directory").isDirectory();
        try (var entries = Files.list(opt)) {
            assertThat(entries.toList()).containsExactly(top);
        }
        return Files.move(top, opt.resolve("herald"));
    }
}
