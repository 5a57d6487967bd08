package io.svclab.scenario;

/** Transport protocol of a service port. */
public enum Protocol implements YamlNamed {
    /** TCP. */
    TCP("TCP"),
    /** UDP. */
    UDP("UDP");

    private final String yamlName;

    Protocol(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
