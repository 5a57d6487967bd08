package io.svclab.scenario;

/** How a client uses connections. */
public enum Pattern implements YamlNamed {
    /** One request per connection. */
    SHORT("short"),
    /** A keep-alive pool of connections. */
    POOLED("pooled");

    private final String yamlName;

    Pattern(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
