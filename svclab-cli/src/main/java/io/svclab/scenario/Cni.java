package io.svclab.scenario;

/** How pods attach to their node's network (scenario key {@code network.cni}). */
public enum Cni implements YamlNamed {
    /** One bridge per node with every pod on it (bridge plugin, kubenet, flannel). */
    BRIDGE("bridge"),
    /** One veth pair per pod, routed by a /32 on the node (ptp plugin, Calico). */
    PTP("ptp");

    private final String yamlName;

    Cni(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
