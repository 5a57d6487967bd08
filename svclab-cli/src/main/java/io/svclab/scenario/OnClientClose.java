package io.svclab.scenario;

/**
 * What a server application does when its client closes first (scenario key
 * {@code pod.onClientClose}, an extension of the contract).
 */
public enum OnClientClose implements YamlNamed {
    /** It reads the end of the stream and closes its side: the connection ends cleanly. */
    CLOSE("close"),
    /** It never closes: its socket and the node's conntrack entry stay in CLOSE_WAIT (spec §8 M2). */
    IGNORE("ignore");

    private final String yamlName;

    OnClientClose(String yamlName) {
        this.yamlName = yamlName;
    }

    @Override
    public String yamlName() {
        return yamlName;
    }
}
