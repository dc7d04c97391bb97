package io.herald.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one bench run found, written as JSON and printed as a table. */
public final class Report {
    private final String scenario;
    private final Instant startedAt = Instant.now();
    private final String command;
    private final Map<String, Object> options;
    private final Map<String, Object> machine;
    private final List<Run> runs = new ArrayList<>();
    private final List<TargetCheck> targets = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> server = new LinkedHashMap<>();
    private Map<String, Object> profile;
    private Instant finishedAt;

    public Report(String scenario, String command, Map<String, Object> options, Map<String, Object> machine) {
        this.scenario = scenario;
        this.command = command;
        this.options = options;
        this.machine = machine;
    }

    public Report add(Run run) {
        runs.add(run);
        return this;
    }

    public Report target(String target, String measured, boolean met) {
        targets.add(new TargetCheck(target, measured, met));
        return this;
    }

    public Report note(String note) {
        notes.add(note);
        return this;
    }

    /** How the server under test was run (command line, pid): lets a reader reproduce the figures. */
    public Report server(String key, Object value) {
        server.put(key, value);
        return this;
    }

    public Report profile(Map<String, Object> summary) {
        this.profile = summary;
        return this;
    }

    public Report finish() {
        finishedAt = Instant.now();
        machine.put("loadAverageAtEnd", MachineInfo.loadAverage());
        return this;
    }

    public String scenario() {
        return scenario;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public List<Run> runs() {
        return runs;
    }

    public List<TargetCheck> targets() {
        return targets;
    }

    public List<String> notes() {
        return notes;
    }

    /** The JSON shape: plain maps and lists, in a stable order. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario);
        json.put("startedAt", startedAt.toString());
        json.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        json.put("durationSeconds", finishedAt == null ? null
                : Figures.round((finishedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0));
        json.put("command", command);
        json.put("options", options);
        json.put("machine", machine);
        json.put("server", server);
        List<Map<String, Object>> runJson = new ArrayList<>();
        for (Run run : runs) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", run.name());
            r.put("herald", run.herald());
            r.put("baseline", run.baseline());
            r.put("ratioToBaseline", run.ratios());
            r.put("chartKeys", run.chartKeys());
            runJson.add(r);
        }
        json.put("runs", runJson);
        json.put("targets", targets);
        json.put("notes", notes);
        json.put("profile", profile);
        return json;
    }
}
