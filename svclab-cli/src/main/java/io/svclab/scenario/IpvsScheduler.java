package io.svclab.scenario;

/** IPVS scheduling algorithm: scenario key {@code proxy.scheduler}. */
public enum IpvsScheduler implements YamlNamed {
    /** Round robin. */
    RR("rr"),
    /** Weighted round robin. */
    WRR("wrr"),
    /** Least connections. */
    LC("lc"),
    /** Weighted least connections. */
    WLC("wlc"),
    /** Shortest expected delay. */
    SED("sed"),
    /** Never queue. */
    NQ("nq"),
    /** Source hashing. */
    SH("sh"),
    /** Destination hashing. */
    DH("dh"),
    /** Maglev hashing. */
    MH("mh");

    private final String yamlName;

    IpvsScheduler(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
