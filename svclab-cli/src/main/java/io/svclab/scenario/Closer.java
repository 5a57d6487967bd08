package io.svclab.scenario;

/** Which side sends FIN first when a request is done. */
public enum Closer implements YamlNamed {
    /** The client closes first. */
    CLIENT("client"),
    /** The server closes first. */
    SERVER("server");

    private final String yamlName;

    Closer(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
