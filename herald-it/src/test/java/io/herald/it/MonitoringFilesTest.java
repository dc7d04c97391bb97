package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * deploy/'s alert rules pass {@code promtool check rules} and their unit tests ({@code promtool test rules}), and the
 * Grafana dashboard is one Grafana imports: panels with queries, distinct ids, on a data source variable. That the
 * metrics they name exist: {@link RoleMetricsTest}.
 */
class MonitoringFilesTest {

    @Test
    void alertRulesPassPromtoolCheck() throws Exception {
        String output = promtool("check", "rules", MonitoringFiles.RULES.toString());
        assertThat(output).contains("SUCCESS");
    }

    @Test
    void alertRulesPassTheirUnitTests() throws Exception {
        String output = promtool("test", "rules", MonitoringFiles.RULES.resolveSibling("herald-alerts.test.yml")
                .toString());
        assertThat(output).contains("SUCCESS");
    }

    @Test
    void dashboardIsImportableAndEveryPanelQueries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(MonitoringFiles.root().resolve(MonitoringFiles.DASHBOARD)
                .toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("templating").path("list").findValuesAsText("type")).contains("datasource");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            assertThat(panel.path("gridPos").isObject()).as("panel %s has a position", panel.path("title")).isTrue();
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("targets")).as("queries of panel %s", panel.path("title")).isNotEmpty();
                assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            }
        }
        assertThat(ids).hasSizeGreaterThan(10);
    }

    @Test
    void metricNamesAreReadOutOfPromQl() {
        assertThat(MonitoringFiles.metricNames("histogram_quantile(0.99, sum by (le, route) (rate("
                + "herald_http_server_total_duration_seconds_bucket{route!=\"/metrics\", node=~\"$node\"}"
                + "[$__rate_interval]))) > 1")).containsExactly("herald_http_server_total_duration_seconds_bucket");
        assertThat(MonitoringFiles.metricNames("sum(up{job=\"herald-gateway\"}) == 0 or max(herald_link_gateways"
                + "{state=\"up\"}) == 0")).containsExactly("herald_link_gateways", "up");
        assertThat(MonitoringFiles.metricNames("a_bytes / on (node) group_left b_bytes > 0.9 and c offset 5m"))
                .containsExactly("a_bytes", "b_bytes", "c");
    }

    @Test
    void deployNamesMetricsInEveryExpression() {
        assertThat(MonitoringFiles.ruleExpressions()).hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(expression -> assertThat(MonitoringFiles.metricNames(expression)).isNotEmpty());
        assertThat(MonitoringFiles.dashboardExpressions()).hasSizeGreaterThan(30)
                .allSatisfy(expression -> assertThat(MonitoringFiles.metricNames(expression)).isNotEmpty());
    }

    /** Runs promtool in the checkout; fails with what to install when it is missing. */
    private static String promtool(String... arguments) throws IOException, InterruptedException {
        Path executable = onPath("promtool");
        assertThat(executable).as("promtool is not installed: it comes with Debian's 'prometheus' package"
                + " (apt-get install prometheus; scripts/test-setup.sh installs it)").isNotNull();
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(MonitoringFiles.root().toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", arguments), output).isZero();
        return output;
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
