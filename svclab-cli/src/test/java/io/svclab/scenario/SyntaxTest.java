package io.svclab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntaxTest {

    @TempDir
    Path dir;

    @Test
    void tabIndentation() {
        assertThat(Yaml.problems("proxy:\n\tmode: ipvs\n")).containsExactly("s.yaml:2:1: (yaml): found character '\\t(TAB)' "
                + "that cannot start any token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)");
    }

    @Test
    void badIndentation() {
        assertThat(Yaml.problems("proxy:\n  mode: ipvs\n scheduler: rr\n")).containsExactly(
                "s.yaml:3:2: (yaml): expected <block end>, but found '<block mapping start>' (while parsing a block mapping)");
    }

    @Test
    void unclosedBracket() {
        assertThat(Yaml.problems("proxy: {mode: ipvs\n")).containsExactly(
                "s.yaml:2:1: (yaml): expected ',' or '}', but got <stream end> (while parsing a flow mapping)");
    }

    @Test
    void duplicateKey() {
        assertThat(Yaml.problems("seed: 1\nseed: 2\n")).containsExactly("s.yaml:2:1: seed: duplicate key (first at s.yaml:1:1)");
    }

    @Test
    void duplicateSysctlKey() {
        assertThat(Yaml.problems("sysctl:\n  net.ipv4.tcp_tw_reuse: 1\n  net.ipv4.tcp_tw_reuse: 0\n")).containsExactly(
                "s.yaml:3:3: sysctl.net.ipv4.tcp_tw_reuse: duplicate key (first at s.yaml:2:3)");
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.yaml");
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(missing, List.of()));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).toString()).startsWith(missing + ":1:1: (file): cannot read: ");
    }

    @Test
    void invalidUtf8IsLocated() throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.write(f, new byte[] {'s', 'e', 'e', 'd', ':', ' ', '1', '\n', 'n', 'a', 'm', 'e', ':', ' ', (byte) 0xC3, '(', '\n'});
        ScenarioException e = catchThrowableOfType(ScenarioException.class, () -> ScenarioLoader.load(f, List.of()));
        assertThat(e.getMessage()).isEqualTo(f + ":2:7: (file): not valid UTF-8 (byte 0xc3)");
    }

    @Test
    void fileLoadsFromDisk() throws IOException {
        Path f = dir.resolve("scenario.yaml");
        Files.writeString(f, "seed: 5\n");
        assertThat(ScenarioLoader.load(f, List.of()).name()).isEqualTo("scenario");
    }

    @Test
    void messageIsOneLinePerProblem() {
        ScenarioException e = catchThrowableOfType(ScenarioException.class,
                () -> Yaml.load("seed: x\nduration: y\n"));
        assertThat(e.getMessage()).isEqualTo("s.yaml:1:7: seed: expected an integer, got \"x\"\n"
                + "s.yaml:2:11: duration: expected a duration like 200ms, 3s, 5m, got \"y\"");
    }
}
