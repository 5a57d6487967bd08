package io.svclab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sweep} and {@code sweep-merge} as a user drives them (contract §1). */
class SweepCommandTest {

    /** Short runs of the incident: 40 s, so the rollout at 30 s is inside, at a light load. */
    private static final String[] BASE = {"sweep", "builtin:seed-incident", "--set", "duration=40s",
            "--set", "clients.0.connectionsPerSecond=50", "--vary", "sysctl.net.ipv4.vs.conn_reuse_mode=0,1",
            "--vary", "kernel=4.19,5.10", "--seeds", "2", "--quiet"};

    @TempDir
    Path dir;

    record Outcome(int rc, String out, String err) {
    }

    static Outcome svclab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(rc, out.toString(), err.toString());
    }

    private static String[] with(String[] base, String... more) {
        List<String> a = new ArrayList<>(List.of(base));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** The JSON with the wall-clock figures blanked out. */
    private static String noWall(String json) {
        return json.replaceAll("\"wallSeconds\" : [0-9.Ee+-]+", "\"wallSeconds\" : 0");
    }

    private static List<Integer> indices(String json) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"index\" : (\\d+)").matcher(json);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void rowsComeInCombinationOrderAndAreTheSameOnOneAndTwoThreads() throws IOException {
        Path one = dir.resolve("one.json");
        Path two = dir.resolve("two.json");
        Path csv = dir.resolve("two.csv");
        assertThat(svclab(with(BASE, "--threads", "1", "--json", one.toString())).rc()).isZero();
        Outcome o = svclab(with(BASE, "--threads", "2", "--json", two.toString(), "--csv", csv.toString()));
        assertThat(o.rc()).as(o.err()).isZero();
        String j1 = read(one);
        String j2 = read(two);
        assertThat(noWall(j2)).isEqualTo(noWall(j1));
        assertThat(indices(j1)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(j1).contains("\"combinations\" : 8", "\"seeds\" : 2", "\"shard\" : null");

        // first key slowest, seeds innermost: seed, seed+1
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(9);
        assertThat(lines.get(0)).startsWith("index,sysctl.net.ipv4.vs.conn_reuse_mode,kernel,seed,attempted,");
        assertThat(lines.get(1)).startsWith("0,0,4.19,1,");
        assertThat(lines.get(2)).startsWith("1,0,4.19,2,");
        assertThat(lines.get(3)).startsWith("2,0,5.10,1,");
        assertThat(lines.get(5)).startsWith("4,1,4.19,1,");
        assertThat(lines.get(8)).startsWith("7,1,5.10,2,");
    }

    @Test
    void aRowHoldsTheFiguresOfTheSameSingleRun() throws IOException {
        Path sweep = dir.resolve("s.json");
        Path run = dir.resolve("r.json");
        String[] args = {"sweep", "builtin:seed-incident", "--set", "duration=40s", "--set",
                "clients.0.connectionsPerSecond=50", "--vary", "kernel=5.10", "--seeds", "2", "--threads", "1",
                "--quiet", "--json", sweep.toString()};
        assertThat(svclab(args).rc()).isZero();
        assertThat(svclab("run", "builtin:seed-incident", "--set", "duration=40s", "--set",
                "clients.0.connectionsPerSecond=50", "--set", "kernel=5.10", "--seed", "2", "--quiet", "--json",
                run.toString()).rc()).isZero();
        String r = read(run);
        String s = read(sweep);
        String row1 = s.substring(s.indexOf("\"index\" : 1"));
        for (String key : List.of("attempted", "packets", "events", "failed", "delayed")) {
            Matcher m = Pattern.compile("\"" + key + "\" : (\\d+)").matcher(r);
            assertThat(m.find()).isTrue();
            assertThat(row1).contains("\"" + key + "\" : " + m.group(1) + ",");
        }
        assertThat(row1).contains("\"seed\" : 2,");
        // 50 connections a second from when the pods are ready: hundreds of connections ran
        Matcher a = Pattern.compile("\"attempted\" : (\\d+)").matcher(row1);
        assertThat(a.find()).isTrue();
        assertThat(Long.parseLong(a.group(1))).isBetween(1500L, 2000L);
    }

    @Test
    void shardsMergedEqualTheWholeSweep() throws IOException {
        Path whole = dir.resolve("whole.json");
        Path s1 = dir.resolve("s1.json");
        Path s2 = dir.resolve("s2.json");
        Path s3 = dir.resolve("s3.json");
        Path merged = dir.resolve("merged.json");
        assertThat(svclab(with(BASE, "--threads", "2", "--json", whole.toString())).rc()).isZero();
        assertThat(svclab(with(BASE, "--shard", "1/3", "--json", s1.toString())).rc()).isZero();
        assertThat(svclab(with(BASE, "--shard", "2/3", "--json", s2.toString())).rc()).isZero();
        assertThat(svclab(with(BASE, "--shard", "3/3", "--json", s3.toString())).rc()).isZero();
        assertThat(indices(read(s1))).containsExactly(0, 3, 6);
        assertThat(indices(read(s2))).containsExactly(1, 4, 7);
        assertThat(indices(read(s3))).containsExactly(2, 5);
        assertThat(read(s2)).contains("\"shard\" : \"2/3\"");

        Outcome o = svclab("sweep-merge", s3.toString(), s1.toString(), s2.toString(), "--json", merged.toString());
        assertThat(o.rc()).as(o.err()).isZero();
        assertThat(noWall(read(merged))).isEqualTo(noWall(read(whole)));

        // a missing shard or the same shard twice is an error, and writes nothing
        Path bad = dir.resolve("bad.json");
        Outcome missing = svclab("sweep-merge", s1.toString(), s2.toString(), "--json", bad.toString());
        assertThat(missing.rc()).isEqualTo(2);
        assertThat(missing.err()).contains("2 of 8 combinations are in none of the files (first missing: [2, 5])");
        Outcome twice = svclab("sweep-merge", s1.toString(), s1.toString(), "--json", bad.toString());
        assertThat(twice.rc()).isEqualTo(2);
        assertThat(twice.err()).contains(s1 + ": combination 0 is also in an earlier file");
        assertThat(bad).doesNotExist();
    }

    @Test
    void mergeRejectsShardsOfDifferentSweepsAndFilesThatAreNotSweeps() throws IOException {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        String[] small = {"sweep", "builtin:minimal", "--vary", "duration=5s,6s", "--quiet"};
        assertThat(svclab(with(small, "--shard", "1/2", "--json", a.toString())).rc()).isZero();
        String[] other = {"sweep", "builtin:minimal", "--vary", "duration=5s,7s", "--quiet"};
        assertThat(svclab(with(other, "--shard", "2/2", "--json", b.toString())).rc()).isZero();
        Outcome o = svclab("sweep-merge", a.toString(), b.toString());
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.err()).contains(b + ": not a shard of the same sweep as " + a);

        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{\"svclab\": \"0.1.0\", \"rows\": []}\n");
        Outcome j = svclab("sweep-merge", junk.toString());
        assertThat(j.rc()).isEqualTo(2);
        assertThat(j.err()).contains(junk + ":1:").contains("expected field \"scenario\", got \"rows\"");
    }

    @Test
    void badVaryKeysAndValuesAreLocatedErrorsBeforeAnyRunAndWriteNothing() {
        Path out = dir.resolve("out.json");
        Outcome key = svclab("sweep", "builtin:seed-incident", "--vary", "proxy.mood=ipvs,iptables", "--json",
                out.toString());
        assertThat(key.rc()).isEqualTo(2);
        assertThat(key.err()).contains("--vary proxy.mood=ipvs,iptables: value \"ipvs\": --set:1:1: proxy.mood: unknown field (known: mode,");
        assertThat(key.out()).isEmpty();

        Outcome value = svclab("sweep", "builtin:seed-incident", "--vary", "kernel=4.19,9.9", "--json", out.toString());
        assertThat(value.rc()).isEqualTo(2);
        assertThat(value.err()).contains("--vary kernel=4.19,9.9: value \"9.9\": --set:1:8: kernel: expected a kernel version");

        Outcome syntax = svclab("sweep", "builtin:seed-incident", "--vary", "kernel", "--json", out.toString());
        assertThat(syntax.rc()).isEqualTo(2);
        assertThat(syntax.err()).contains("--vary kernel: expected KEY=V1,V2,");

        Outcome empty = svclab("sweep", "builtin:seed-incident", "--vary", "kernel=4.19,,5.10");
        assertThat(empty.rc()).isEqualTo(2);
        assertThat(empty.err()).contains("--vary kernel=4.19,,5.10: empty value");

        Outcome twice = svclab("sweep", "builtin:seed-incident", "--vary", "kernel=4.19", "--vary", "kernel=5.10");
        assertThat(twice.rc()).isEqualTo(2);
        assertThat(twice.err()).contains("key kernel is varied twice");

        Outcome shard = svclab("sweep", "builtin:seed-incident", "--vary", "kernel=4.19", "--shard", "3/2");
        assertThat(shard.rc()).isEqualTo(2);
        assertThat(shard.err()).contains("--shard 3/2: expected 1 <= I <= N");

        Outcome seeds = svclab("sweep", "builtin:seed-incident", "--vary", "kernel=4.19", "--seeds", "0");
        assertThat(seeds.rc()).isEqualTo(2);
        assertThat(seeds.err()).contains("--seeds 0: expected a positive number");

        Outcome noVary = svclab("sweep", "builtin:seed-incident");
        assertThat(noVary.rc()).isEqualTo(2);
        assertThat(out).doesNotExist();
    }
}
