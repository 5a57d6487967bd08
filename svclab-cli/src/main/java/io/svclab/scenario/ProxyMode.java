package io.svclab.scenario;

/** How kube-proxy programs the node: scenario key {@code proxy.mode}. */
public enum ProxyMode implements YamlNamed {
    /** IPVS virtual servers. */
    IPVS("ipvs"),
    /** iptables NAT rules (the kube-proxy default). */
    IPTABLES("iptables"),
    /** nftables rules. */
    NFTABLES("nftables"),
    /** No kube-proxy: rules and IPVS tables come only from the steps. */
    NONE("none");

    private final String yamlName;

    ProxyMode(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
