package io.svclab.scenario;

/** A closed value set whose constants are written in the scenario file under a fixed name. */
public interface YamlNamed {

    /** The name as written in the scenario file. */
    String yamlName();
}
