package io.svclab.diagnose;

import io.svclab.kernel.KernelProfiles;
import io.svclab.net.conntrack.CtParser;
import io.svclab.net.ipvs.IpvsadmReader;
import io.svclab.scenario.Problem;
import io.svclab.scenario.ScenarioException;
import io.svclab.scenario.ScenarioLoader;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The fuzzed entry points and their property: any input gives a parsed result or a located user
 * error ({@link DumpException} with a line, {@link ScenarioException}), never another exception.
 * A result that parsed also goes through {@link Diagnosis} (the model seeded from it).
 */
final class FuzzTargets {

    private FuzzTargets() {
    }

    /** A Java exception's class name where a user message should be (a crash the loader caught). */
    private static final Pattern HIDDEN_CRASH = Pattern.compile(".*cannot load: \\w*(Exception|Error)\\b.*");

    /** Target name (also the corpus folder) to its check. */
    static final Map<String, Consumer<String>> TARGETS = Map.of(
            "conntrack", FuzzTargets::conntrack,
            "ipvsList", FuzzTargets::ipvsList,
            "ipvsConns", FuzzTargets::ipvsConns,
            "sysctl", FuzzTargets::sysctl,
            "iptables", FuzzTargets::iptables,
            "scenario", FuzzTargets::scenario);

    static void conntrack(String text) {
        CtParser.Result r = CtParser.parse(text);
        check(r.errors());
        try {
            Dumps.Conntrack c = Dumps.conntrack("f", text);
            new Diagnosis(KernelProfiles.get("5.4"), true, c, null, null, null, null, null);
        } catch (DumpException e) {
            located(e);
        }
    }

    static void ipvsList(String text) {
        check(IpvsadmReader.readList(text).errors());
        try {
            Dumps.IpvsList l = Dumps.ipvsList("f", text);
            new Diagnosis(KernelProfiles.get("6.1"), true, null, l, null, null, null, null).warnings();
        } catch (DumpException e) {
            located(e);
        }
    }

    static void ipvsConns(String text) {
        check(IpvsadmReader.readConnections(text).errors());
        check(IpvsadmReader.readProcConnections(text).errors());
        try {
            Dumps.IpvsConns c = Dumps.ipvsConns("f", text);
            Dumps.IpvsList l = Dumps.ipvsList("l", "TCP  10.250.100.100:80 rr\n  -> 10.250.2.2:8080  Masq 0 0 0\n");
            new Diagnosis(KernelProfiles.get("6.1"), true, null, l, c, null, null, null);
        } catch (DumpException e) {
            located(e);
        }
    }

    static void sysctl(String text) {
        try {
            Dumps.sysctl("f", text, KernelProfiles.get("5.9"));
        } catch (DumpException e) {
            located(e);
        }
    }

    static void iptables(String text) {
        try {
            Dumps.iptables("f", text);
        } catch (DumpException e) {
            if (e.line() < 0 || e.getMessage().contains("expected iptables-save output (")) {
                throw new AssertionError("iptables-restore threw: " + e.getMessage());
            }
        }
    }

    static void scenario(String text) {
        try {
            ScenarioLoader.loadText("s.yaml", text, List.of());
        } catch (ScenarioException e) {
            for (Problem p : e.problems()) {
                if (HIDDEN_CRASH.matcher(p.toString()).matches()) {
                    throw new AssertionError("the loader hid a crash: " + p);
                }
            }
        }
    }

    private static void check(List<String> errors) {
        for (String e : errors) {
            if (!e.matches("(?s)line [1-9]\\d*: .+")) {
                throw new AssertionError("unlocated reader error: " + e);
            }
        }
    }

    private static void located(DumpException e) {
        if (e.line() < 1 || !e.getMessage().startsWith("f:" + e.line() + ": ")) {
            throw new AssertionError("unlocated dump error: " + e.getMessage());
        }
    }
}
