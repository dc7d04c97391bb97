package io.herald.bench.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one bench run found, written as JSON and printed as a table. */
public final class Report {
    /** The figure, in a run's Herald figures, of the share of the server's CPU its JIT compiler took. */
    public static final String SERVER_JIT_CPU_PERCENT = "serverJitCpuPercent";
    /** From this share on, a run is noted as measured on a server still compiling. */
    static final double JIT_NOTE_PERCENT = 10;
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
        noteJit(run);
        return this;
    }

    /** Says so when the server spent much of a run's CPU compiling: its CPU per operation is then a cold figure. */
    private void noteJit(Run run) {
        Object jit = run.herald() == null ? null : run.herald().get(SERVER_JIT_CPU_PERCENT);
        if (jit instanceof Number percent && percent.doubleValue() >= JIT_NOTE_PERCENT) {
            notes.add(run.name() + ": the server's JIT compiler took " + percent + "% of its CPU, a cost it pays"
                    + " once after starting: the CPU per operation above includes it. To measure a server that has"
                    + " warmed up, use a longer --warmup where the scenario has one, or run the load once before"
                    + " against the same server (--api, --server-pid).");
        }
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
