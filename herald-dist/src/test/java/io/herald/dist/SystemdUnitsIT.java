package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball's systemd units, checked by {@code systemd-analyze verify} in a root directory of their own: the
 * distribution at /opt/herald (so ExecStart= must name its real launcher), the units in /etc/systemd/system, and
 * copies of this machine's targets. No running systemd is needed.
 */
class SystemdUnitsIT {
    /** One instance of each template: verify needs a unit name it can load. */
    private static final List<String> UNITS = List.of("herald-standalone.service", "herald-gateway@g1.service",
            "herald-api@1.service", "herald-archiver.service");

    @TempDir
    Path root;

    @Test
    void everyUnitVerifies() throws Exception {
        Path systemUnits = Stream.of(Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"))
                .filter(Files::isDirectory).findFirst().orElse(null);
        // scripts/test-setup.sh installs systemd, so this holds wherever the suite runs (CI included).
        assumeThat(onPath("systemd-analyze") && systemUnits != null)
                .as("systemd-analyze and the system's units").isTrue();
        Path home = Tarball.unpackInto(root);
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        try (Stream<Path> shipped = Files.list(home.resolve("deploy/systemd"))) {
            for (Path unit : shipped.toList()) {
                Files.copy(unit, units.resolve(unit.getFileName()));
            }
        }
        // The targets the units name, and the ones systemd adds as default dependencies (sysinit, basic, ...).
        Path targets = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        try (Stream<Path> system = Files.list(systemUnits)) {
            for (Path target : system.filter(unit -> unit.getFileName().toString().endsWith(".target"))
                    .filter(Files::isRegularFile).toList()) {
                Files.copy(target, targets.resolve(target.getFileName()));
            }
        }

        List<String> verify = new ArrayList<>(List.of("systemd-analyze", "verify", "--root=" + root));
        verify.addAll(UNITS);
        Installed.Result result = run(verify);

        // verify reports most mistakes (an unknown key, a bad value) as warnings, with exit code 0: none may name
        // our units. Lines about this machine's own units are not ours to judge.
        assertThat(result.output().lines().filter(line -> line.contains("herald")))
                .as("systemd-analyze verify: %s", result.output()).isEmpty();
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    /** The check above catches a mistake: a misspelt key in a copy of a unit. */
    @Test
    void aMisspeltKeyIsReported() throws Exception {
        assumeThat(onPath("systemd-analyze")).isTrue();
        Path unit = root.resolve("herald-misspelt.service");
        Files.writeString(unit, "[Service]\nExecStart=/bin/true\nProtectSystm=strict\n");

        Installed.Result result = run(List.of("systemd-analyze", "verify", unit.toString()));

        assertThat(result.output()).contains("herald-misspelt.service").contains("ProtectSystm");
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static Installed.Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Installed.Result(process.exitValue(), output);
    }
}
