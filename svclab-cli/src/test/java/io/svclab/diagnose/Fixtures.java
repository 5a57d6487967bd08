package io.svclab.diagnose;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The oracle fixtures copied into the test resources (diagnose/fixtures), cut into dumps as an operator has them. */
final class Fixtures {

    private Fixtures() {
    }

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/diagnose/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The blocks under {@code --- HEADER} lines that start with {@code header}, each up to the next marker. */
    static List<String> blocks(String name, String header) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        for (String l : text(name).split("\n", -1)) {
            if (l.startsWith("--- ") || l.startsWith("[") || l.startsWith("#")) {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
                if (l.equals("--- " + header) || l.startsWith("--- " + header + " ")) {
                    cur = new StringBuilder();
                }
                continue;
            }
            if (cur != null && !l.isEmpty()) {
                cur.append(l).append('\n');
            }
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }

    /** The header's {@code # sysctl net.ipv4.vs: k=v ...} as {@code sysctl -a} lines. */
    static String sysctl(String name) {
        Matcher m = Pattern.compile("# sysctl net\\.ipv4\\.vs: (.*)").matcher(text(name));
        if (!m.find()) {
            throw new IllegalArgumentException("no sysctl header in " + name);
        }
        StringBuilder b = new StringBuilder();
        for (String kv : m.group(1).trim().split("\\s+")) {
            String[] p = kv.split("=", 2);
            b.append("net.ipv4.vs.").append(p[0]).append(" = ").append(p[1]).append('\n');
        }
        return b.append("net.ipv4.ip_forward = 1\n").toString();
    }
}
