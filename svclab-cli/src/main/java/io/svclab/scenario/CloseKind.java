package io.svclab.scenario;

/** How a scripted connection ends after its hold time. */
public enum CloseKind implements YamlNamed {
    /** An orderly close by the side named in the pod's closer. */
    FIN("fin"),
    /** An abort with RST. */
    RST("rst");

    private final String yamlName;

    CloseKind(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
