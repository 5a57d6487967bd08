package io.svclab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ip4Test {

    @Test
    void parsesAndFormatsDottedQuad() {
        assertThat(Ip4.parse("10.96.0.10")).isEqualTo(0x0A60000A);
        assertThat(Ip4.format(0x0A60000A)).isEqualTo("10.96.0.10");
        assertThat(Ip4.format(Ip4.parse("255.255.255.255"))).isEqualTo("255.255.255.255");
    }

    @Test
    void rejectsMalformedAddresses() {
        assertThatThrownBy(() -> Ip4.parse("10.96.0")).hasMessage("expected an IPv4 address like 10.96.0.10, got \"10.96.0\"");
        assertThatThrownBy(() -> Ip4.parse("10.96.0.256")).hasMessage("octet 256 is out of range 0..255 in \"10.96.0.256\"");
        assertThatThrownBy(() -> Ip4.parse("10.96.0.010")).hasMessage("octet \"010\" has a leading zero in \"10.96.0.010\"");
    }
}
