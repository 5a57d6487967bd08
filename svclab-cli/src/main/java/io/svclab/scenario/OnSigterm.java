package io.svclab.scenario;

/** What a pod's server does on SIGTERM. */
public enum OnSigterm implements YamlNamed {
    /** Closes its listener and exits at once. */
    EXIT("exit"),
    /** Keeps serving until the grace period ends. */
    DRAIN("drain");

    private final String yamlName;

    OnSigterm(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
