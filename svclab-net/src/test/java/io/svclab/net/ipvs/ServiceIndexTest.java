package io.svclab.net.ipvs;

import io.svclab.net.IpProto;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceIndexTest {

    @Test
    void manyServicesAreFoundAddedAndRemoved() {
        ServiceIndex idx = new ServiceIndex();
        List<IpvsService> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            IpvsService s = new IpvsService(i % 2 == 0 ? IpProto.TCP : IpProto.UDP, 0x0A600000 + i / 3, 80 + i % 3);
            all.add(s);
            idx.put(s);
        }
        for (IpvsService s : all) {
            assertThat(idx.get(s.proto, s.addr, s.port)).isSameAs(s);
        }
        for (int i = 0; i < all.size(); i += 2) {
            idx.remove(all.get(i));
        }
        for (int i = 0; i < all.size(); i++) {
            IpvsService s = all.get(i);
            assertThat(idx.get(s.proto, s.addr, s.port)).isEqualTo(i % 2 == 0 ? null : s);
        }
        assertThat(idx.get(IpProto.TCP, 0x0A600000, 81)).isNull();
    }
}
