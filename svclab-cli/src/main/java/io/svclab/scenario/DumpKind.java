package io.svclab.scenario;

/** A snapshot that a dump step takes, in the real tool's format. */
public enum DumpKind implements YamlNamed {
    /** {@code conntrack -L}. */
    CONNTRACK("conntrack"),
    /** {@code /proc/net/nf_conntrack}. */
    PROC_CONNTRACK("proc-conntrack"),
    /** {@code ipvsadm -Ln}. */
    IPVS("ipvs"),
    /** {@code ipvsadm -Lnc}. */
    IPVS_CONN("ipvs-conn"),
    /** {@code /proc/net/ip_vs_conn}. */
    PROC_IPVS_CONN("proc-ipvs-conn"),
    /** {@code iptables-save}. */
    IPTABLES("iptables"),
    /** {@code nft list ruleset}. */
    NFT("nft"),
    /** {@code sysctl -a} for the node's namespace. */
    SYSCTL("sysctl");

    private final String yamlName;

    DumpKind(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
