package io.svclab.scenario;

/** Service session affinity, as in the Kubernetes Service spec. */
public enum SessionAffinity implements YamlNamed {
    /** No affinity. */
    NONE("None"),
    /** Requests from one client IP go to one endpoint. */
    CLIENT_IP("ClientIP");

    private final String yamlName;

    SessionAffinity(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
