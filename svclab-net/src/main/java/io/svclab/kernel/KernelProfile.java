package io.svclab.kernel;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The behaviour of one kernel: its version and the set of {@link KernelFeature} switches it has.
 * Immutable. Model code reads {@link #has(KernelFeature)}; a scenario may flip single switches
 * with {@code kernelFeatures:} ({@link #withOverrides(Map)}).
 */
public final class KernelProfile {

    private final String name;
    private final KernelVersion version;
    private final String description;
    private final EnumSet<KernelFeature> features;

    KernelProfile(String name, KernelVersion version, String description, EnumSet<KernelFeature> features) {
        this.name = name;
        this.version = version;
        this.description = description;
        this.features = features;
    }

    /** The name the user wrote ({@code 4.19}, {@code 5.10.251}, {@code 3.10}). */
    public String name() {
        return name;
    }

    public KernelVersion version() {
        return version;
    }

    /** One line: which distribution or release this stands for. */
    public String description() {
        return description;
    }

    public boolean has(KernelFeature feature) {
        return features.contains(feature);
    }

    /** The switches this profile has, in declaration order. */
    public Set<KernelFeature> features() {
        return Collections.unmodifiableSet(features);
    }

    /** A copy with some switches forced on ({@code true}) or off ({@code false}). */
    public KernelProfile withOverrides(Map<KernelFeature, Boolean> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        EnumSet<KernelFeature> f = EnumSet.copyOf(features);
        for (Map.Entry<KernelFeature, Boolean> e : overrides.entrySet()) {
            if (e.getValue()) {
                f.add(e.getKey());
            } else {
                f.remove(e.getKey());
            }
        }
        return new KernelProfile(name, version, description + " (with kernelFeatures overrides)", f);
    }

    @Override
    public String toString() {
        return name;
    }
}
