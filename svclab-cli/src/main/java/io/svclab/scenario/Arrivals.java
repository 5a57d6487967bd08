package io.svclab.scenario;

/** How an open-loop client spaces new connections. */
public enum Arrivals implements YamlNamed {
    /** Exponential inter-arrival times. */
    POISSON("poisson"),
    /** Fixed intervals, like a load generator's loop. */
    CONSTANT("constant");

    private final String yamlName;

    Arrivals(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
