package io.herald.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reports record the command line, without the API key. */
class ScenarioCommandLineTest {

    @Test
    void theApiKeyIsMaskedInBothSpellings() {
        List<String> masked = Scenario.withoutApiKey(List.of("p2p", "--api", "http://h:1", "--api-key", "s3cr3t",
                "--api-key=other", "--devices", "10"));

        assertThat(masked).containsExactly("p2p", "--api", "http://h:1", "--api-key", "***", "--api-key=***",
                "--devices", "10");
        assertThat(String.join(" ", masked)).doesNotContain("s3cr3t").doesNotContain("other");
    }
}
