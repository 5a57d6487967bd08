package io.svclab.scenario;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import io.svclab.kernel.KernelFeature;
import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.Sysctl;

/**
 * A whole scenario file, validated, with every default filled in. Load one with
 * {@link ScenarioLoader}.
 *
 * @param name scenario name (default: the file name without extension)
 * @param seed random seed, default 1
 * @param durationNs simulated time, default 60 s
 * @param kernel the kernel profile name as written, default {@code 6.12}
 * @param kernelProfile the resolved profile with the {@code kernelFeatures} overrides applied
 * @param kernelFeatures the overrides as written
 * @param proxy kube-proxy settings
 * @param network cluster network settings
 * @param sysctl sysctls of the node's namespace, as set in the file
 * @param services the services
 * @param deployments the deployments
 * @param clients the clients
 * @param events timed cluster operations, in file order
 * @param steps scripted steps, in file order
 * @param source the file label the scenario was loaded from
 * @param positions where each written field stands, by field path (see {@link #position(String)})
 */
public record Scenario(String name, long seed, long durationNs, String kernel, KernelProfile kernelProfile,
        SortedMap<KernelFeature, Boolean> kernelFeatures, Proxy proxy, Network network, SortedMap<Sysctl, Long> sysctl,
        List<Service> services, List<Deployment> deployments, List<Client> clients, List<Event> events,
        List<Step> steps, String source, SortedMap<String, SourcePos> positions) {

    /** Copies the collections into unmodifiable ones. */
    public Scenario {
        kernelFeatures = Collections.unmodifiableSortedMap(new TreeMap<>(kernelFeatures));
        sysctl = Collections.unmodifiableSortedMap(new TreeMap<>(sysctl));
        services = List.copyOf(services);
        deployments = List.copyOf(deployments);
        clients = List.copyOf(clients);
        events = List.copyOf(events);
        steps = List.copyOf(steps);
        positions = Collections.unmodifiableSortedMap(new TreeMap<>(positions));
    }

    /**
     * Where a field was written, for problems found after loading (by the world builder or a
     * model): the field's own position, else that of its nearest written ancestor, else the top of
     * the file.
     *
     * @param path a field path as problems print it, e.g. {@code proxy.mode} or {@code deployments[0].podIPs}
     */
    public SourcePos position(String path) {
        String p = path;
        while (!p.isEmpty()) {
            SourcePos at = positions.get(p);
            if (at != null) {
                return at;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return new SourcePos(source, 1, 1);
    }
}
