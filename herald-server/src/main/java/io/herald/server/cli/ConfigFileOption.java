package io.herald.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Declares {@code --config} so the parser accepts it; {@link ConfigFile#install} reads the file before parsing. */
public final class ConfigFileOption {

    @Option(names = ConfigFile.OPTION, paramLabel = "FILE",
            description = "Properties file of settings: keys are option names without the dashes (tcp-port=7001);"
                    + " options on the command line win.")
    Path config;
}
