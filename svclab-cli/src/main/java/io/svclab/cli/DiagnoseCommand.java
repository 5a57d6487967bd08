package io.svclab.cli;

import io.svclab.diagnose.Diagnosis;
import io.svclab.diagnose.DiagnosisReport;
import io.svclab.diagnose.DumpException;
import io.svclab.diagnose.Dumps;
import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.KernelProfiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code svclab diagnose}: reads a node's dumps, reports the risks with evidence and the model's predictions (§6). */
@Command(name = "diagnose", mixinStandardHelpOptions = true, description = "Read real dumps from a node (conntrack, ipvsadm, sysctl, iptables-save)"
        + " and report what will break, with the evidence lines and what the model predicts.")
public final class DiagnoseCommand implements java.util.concurrent.Callable<Integer> {

    /** Kernel profile used without {@code --kernel} (the scenario default). */
    static final String DEFAULT_KERNEL = "6.12";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--conntrack", paramLabel = "FILE",
            description = "/proc/net/nf_conntrack or conntrack -L (plain, -o id, -o extended).")
    String conntrack;

    @CommandLine.Option(names = "--ipvs", paramLabel = "FILE",
            description = "ipvsadm -Ln (also --stats, --rate) or /proc/net/ip_vs.")
    String ipvs;

    @CommandLine.Option(names = "--ipvs-conn", paramLabel = "FILE", description = "ipvsadm -Lnc or /proc/net/ip_vs_conn.")
    String ipvsConn;

    @CommandLine.Option(names = "--sysctl", paramLabel = "FILE", description = "sysctl -a.")
    String sysctl;

    @CommandLine.Option(names = "--iptables", paramLabel = "FILE", description = "iptables-save.")
    String iptables;

    @CommandLine.Option(names = "--kernel", paramLabel = "VERSION", description = "The node's kernel (default " + DEFAULT_KERNEL + ").")
    String kernel;

    @CommandLine.Option(names = "--json", paramLabel = "FILE", description = "Write the findings as JSON to FILE (- for standard output).")
    String json;

    @Override
    public Integer call() throws IOException {
        KernelProfile profile = KernelProfiles.find(kernel == null ? DEFAULT_KERNEL : kernel).orElseThrow(
                () -> new UserError("--kernel " + kernel + ": unknown kernel; expected " + KernelProfiles.hint()));
        if (conntrack == null && ipvs == null && ipvsConn == null && sysctl == null && iptables == null) {
            throw new UserError("diagnose: give at least one dump (--conntrack, --ipvs, --ipvs-conn, --sysctl, --iptables)");
        }
        OutputFile jsonFile = json != null && !json.equals("-") ? OutputFile.check("--json", json) : null;
        Diagnosis d;
        try {
            String iptText = iptables == null ? null : read("--iptables", iptables);
            d = new Diagnosis(profile, kernel != null,
                    conntrack == null ? null : Dumps.conntrack(conntrack, read("--conntrack", conntrack)),
                    ipvs == null ? null : Dumps.ipvsList(ipvs, read("--ipvs", ipvs)),
                    ipvsConn == null ? null : Dumps.ipvsConns(ipvsConn, read("--ipvs-conn", ipvsConn)),
                    sysctl == null ? null : Dumps.sysctl(sysctl, read("--sysctl", sysctl), profile),
                    iptables == null ? null : Dumps.iptables(iptables, iptText), iptText);
        } catch (DumpException e) {
            throw new UserError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (jsonFile != null) {
            jsonFile.write(o -> DiagnosisReport.json(d, o));
        }
        if ("-".equals(json)) {
            DiagnosisReport.json(d, new java.io.FilterOutputStream(System.out) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            });
        } else {
            DiagnosisReport.text(d, out);
        }
        return Main.EXIT_OK;
    }

    /** Reads a dump as UTF-8 text; a missing or binary file is a user error. */
    static String read(String option, String file) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new UserError(option + " " + file + ": no such file");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
        } catch (CharacterCodingException e) {
            throw new UserError(option + " " + file + ": not a text file (invalid UTF-8)");
        } catch (IOException e) {
            throw new UserError(option + " " + file + ": " + e.getMessage());
        }
    }
}
