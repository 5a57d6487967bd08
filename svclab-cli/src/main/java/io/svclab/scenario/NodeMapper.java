package io.svclab.scenario;

import io.svclab.net.Ip4;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import io.svclab.kernel.KernelFeature;
import io.svclab.kernel.KernelProfile;
import io.svclab.kernel.KernelProfiles;
import io.svclab.kernel.Sysctl;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Maps a composed YAML node tree to a {@link Scenario}, reading every mapping through
 * {@link Schema} and collecting every problem instead of stopping at the first.
 */
final class NodeMapper {

    private static final String DEFAULT_KERNEL = "6.12";
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("\\d+\\.\\d+");
    private static final java.util.regex.Pattern PERCENT = java.util.regex.Pattern.compile("(\\d{1,9})%");
    private static final java.util.regex.Pattern POD_NAME = java.util.regex.Pattern.compile("(.+)-(\\d{1,9})");

    private final String label;
    private final List<Problem> problems;
    /** Where each written field's value stands, by field path ({@code proxy.mode}, {@code deployments[0].podIPs}). */
    private final java.util.TreeMap<String, SourcePos> positions = new java.util.TreeMap<>();
    private static final CoreSchema CORE = new CoreSchema();

    NodeMapper(String label, List<Problem> problems) {
        this.label = label;
        this.problems = problems;
    }

    // ------------------------------------------------------------------ the scenario

    /** Maps the document's root node (null for an empty document). */
    Scenario map(Node root) {
        if (root != null && !isNull(root) && !(root instanceof MappingNode)) {
            problem(root, "(top)", "expected a mapping of scenario fields, got " + describe(root));
            return null;
        }
        Fields r = fields(root, Schema.ROOT, "");
        Node kernelNode = get(r, "kernel");
        String kernel = string(kernelNode, "kernel");
        KernelProfile base = kernel == null ? null : KernelProfiles.find(kernel).orElse(null);
        if (base == null && kernel != null) {
            problem(kernelNode, "kernel", "expected " + KernelProfiles.hint() + ", got " + describe(kernelNode));
        }
        boolean kernelKnown = base != null;
        SortedMap<KernelFeature, Boolean> features = features(value(r, "kernelFeatures"), "kernelFeatures");
        KernelProfile profile = (kernelKnown ? base : KernelProfiles.get(DEFAULT_KERNEL)).withOverrides(features);

        String name = text(r, "name", defaultName());
        long seed = integer(r, "seed", Long.MIN_VALUE, Long.MAX_VALUE, 1);
        long duration = duration(r, "duration", true, 0);
        Proxy proxy = proxy(value(r, "proxy"));
        Network network = network(value(r, "network"));
        SortedMap<Sysctl, Long> sysctl = sysctls(value(r, "sysctl"), "sysctl", profile, kernelKnown);

        Names serviceNames = new Names("service");
        Set<Integer> clusterIPs = new HashSet<>();
        List<Service> services = new ArrayList<>();
        List<Node> items = items(value(r, "services"), "services");
        for (int i = 0; i < items.size(); i++) {
            services.add(service(items.get(i), "services[" + i + "]", serviceNames, clusterIPs));
        }
        Names deploymentNames = new Names("deployment");
        Map<Integer, SourcePos> podIPs = new HashMap<>();
        List<Deployment> deployments = new ArrayList<>();
        items = items(value(r, "deployments"), "deployments");
        for (int i = 0; i < items.size(); i++) {
            deployments.add(deployment(items.get(i), "deployments[" + i + "]", deploymentNames, serviceNames,
                    podIPs, profile, kernelKnown));
        }
        Names clientNames = new Names("client");
        List<Client> clients = new ArrayList<>();
        items = items(value(r, "clients"), "clients");
        for (int i = 0; i < items.size(); i++) {
            clients.add(client(items.get(i), "clients[" + i + "]", clientNames, serviceNames, profile, kernelKnown));
        }
        List<Event> events = new ArrayList<>();
        items = items(value(r, "events"), "events");
        for (int i = 0; i < items.size(); i++) {
            Event e = event(items.get(i), "events[" + i + "]", deploymentNames);
            if (e != null) {
                events.add(e);
            }
        }
        List<Step> steps = new ArrayList<>();
        items = items(value(r, "steps"), "steps");
        for (int i = 0; i < items.size(); i++) {
            Step s = step(items.get(i), "steps[" + i + "]", clientNames, deploymentNames, profile, kernelKnown);
            if (s != null) {
                steps.add(s);
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new Scenario(name, seed, duration, kernel, profile, features, proxy, network, sysctl, services,
                deployments, clients, events, steps, label, positions);
    }

    private String defaultName() {
        String n = label;
        n = n.substring(Math.max(n.lastIndexOf('/'), Math.max(n.lastIndexOf('\\'), n.lastIndexOf(':'))) + 1);
        for (String ext : new String[] {".yaml", ".yml"}) {
            if (n.endsWith(ext) && n.length() > ext.length()) {
                n = n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }

    private Proxy proxy(Node node) {
        Fields f = fields(node, Schema.PROXY, "proxy");
        ProxyMode mode = choice(f, "mode", ProxyMode.values(), ProxyMode.IPTABLES);
        Node vn = get(f, "version");
        String version = string(vn, "proxy.version");
        if (version != null && !VERSION.matcher(version).matches()) {
            problem(vn, "proxy.version", "expected a kube-proxy version like 1.33, got " + describe(vn));
        }
        IpvsScheduler scheduler = choice(f, "scheduler", IpvsScheduler.values(), IpvsScheduler.RR);
        long sync = duration(f, "syncPeriod", true, 0);
        long minSync = get(f, "minSyncPeriod") == null ? -1 : duration(f, "minSyncPeriod", false, -1);
        long watchDelay = duration(f, "watchDelay", false, 0);
        return new Proxy(mode, version, scheduler, sync, minSync, watchDelay);
    }

    private Network network(Node node) {
        Fields f = fields(node, Schema.NETWORK, "network");
        return new Network((int) integer(f, "nodes", 1, 64, 1), duration(f, "intraNodeLatency", false, 0),
                duration(f, "interNodeLatency", false, 0), choice(f, "cni", Cni.values(), Cni.BRIDGE));
    }

    private Service service(Node node, String path, Names names, Set<Integer> clusterIPs) {
        Fields f = fields(itemMapping(node, path), Schema.SERVICE, path);
        String name = names.add(f, "name");
        Node ipNode = get(f, "clusterIP");
        int before = problems.size();
        int ip = ipv4(ipNode, f.path("clusterIP"));
        if (ipNode != null && problems.size() == before && !clusterIPs.add(ip)) {
            problem(ipNode, f.path("clusterIP"), "clusterIP " + Ip4.format(ip) + " is used by another service");
        }
        int port = (int) integer(f, "port", 1, 65535, 80);
        int targetPort = get(f, "targetPort") == null ? port : (int) integer(f, "targetPort", 1, 65535, port);
        Protocol protocol = choice(f, "protocol", Protocol.values(), Protocol.TCP);
        SessionAffinity affinity = choice(f, "sessionAffinity", SessionAffinity.values(), SessionAffinity.NONE);
        long timeout = duration(f, "sessionAffinityTimeout", true, 0);
        return new Service(name, ip, port, targetPort, protocol, affinity, timeout);
    }

    private Deployment deployment(Node node, String path, Names names, Names services, Map<Integer, SourcePos> podIPs,
            KernelProfile profile, boolean kernelKnown) {
        Fields f = fields(itemMapping(node, path), Schema.DEPLOYMENT, path);
        String name = names.add(f, "name");
        Node sn = get(f, "service");
        String service = sn == null ? name : string(sn, f.path("service"));
        if (service != null && !service.isEmpty()) {
            services.check(sn != null ? sn : anchor(f, "name"), f.path("service"), service);
        }
        int replicas = (int) integer(f, "replicas", 0, 100_000, 1);
        List<Integer> ips = new ArrayList<>();
        List<Node> ipNodes = items(value(f, "podIPs"), f.path("podIPs"));
        for (int i = 0; i < ipNodes.size(); i++) {
            Node in = ipNodes.get(i);
            String ipPath = f.path("podIPs") + "[" + i + "]";
            int before = problems.size();
            int ip = ipv4(in, ipPath);
            if (problems.size() == before) {
                SourcePos first = podIPs.putIfAbsent(ip, pos(in));
                if (first != null) {
                    problem(in, ipPath, "pod IP " + Ip4.format(ip) + " is already used (first at " + first + ")");
                }
                ips.add(ip);
            }
        }
        Fields sf = fields(value(f, "strategy"), Schema.STRATEGY, f.path("strategy"));
        IntOrPercent surge = intOrPercent(sf, "maxSurge");
        IntOrPercent unavailable = intOrPercent(sf, "maxUnavailable");
        if (surge.value() == 0 && unavailable.value() == 0) {
            problem(sf.node != null ? sf.node : anchor(f, "name"), f.path("strategy"),
                    "maxSurge and maxUnavailable cannot both be 0");
        }
        Fields pf = fields(value(f, "pod"), Schema.POD, f.path("pod"));
        PodSpec pod = new PodSpec(duration(pf, "startup", false, 0), duration(pf, "readinessDelay", false, 0),
                duration(pf, "preStop", false, 0), duration(pf, "terminationGracePeriod", false, 0),
                choice(pf, "onSigterm", OnSigterm.values(), OnSigterm.EXIT),
                choice(pf, "closer", Closer.values(), Closer.CLIENT),
                choice(pf, "onClientClose", OnClientClose.values(), OnClientClose.CLOSE),
                sysctls(value(pf, "sysctl"), pf.path("sysctl"), profile, kernelKnown),
                duration(pf, "keepAliveTimeout", false, 0));
        return new Deployment(name, service, replicas, ips, new Strategy(surge, unavailable), pod);
    }

    private Client client(Node node, String path, Names names, Names services, KernelProfile profile,
            boolean kernelKnown) {
        Fields f = fields(itemMapping(node, path), Schema.CLIENT, path);
        String name = names.add(f, "name");
        int replicas = (int) integer(f, "replicas", 0, 100_000, 1);
        Node tn = get(f, "target");
        String target = string(tn, f.path("target"));
        if (target != null) {
            services.check(tn, f.path("target"), target);
        }
        return new Client(name, replicas, target, number(f, "connectionsPerSecond"),
                choice(f, "arrivals", Arrivals.values(), Arrivals.POISSON),
                (int) integer(f, "concurrency", 0, 1_000_000, 0),
                choice(f, "pattern", Pattern.values(), Pattern.SHORT),
                (int) integer(f, "poolSize", 1, 1_000_000, 10),
                duration(f, "idleTimeout", false, 0), duration(f, "requestDuration", false, 0),
                duration(f, "timeout", false, 0),
                sysctls(value(f, "sysctl"), f.path("sysctl"), profile, kernelKnown));
    }

    private Event event(Node node, String path, Names deployments) {
        Fields f = fields(itemMapping(node, path), Schema.EVENT, path);
        long at = duration(f, "at", false, 0);
        NodeTuple action = single(f, path, "an event has", List.of("at"));
        if (action == null) {
            return null;
        }
        String key = keyOf(action);
        Node v = action.getValueNode();
        String p = f.path(key);
        if (key.equals("rollout")) {
            String d = string(v, p);
            if (d != null) {
                deployments.check(v, p, d);
            }
            return new Event.Rollout(at, d, pos(v));
        }
        Fields sf = fields(notNull(v, p), Schema.SCALE, p);
        Node dn = get(sf, "deployment");
        String d = string(dn, sf.path("deployment"));
        if (d != null) {
            deployments.check(dn, sf.path("deployment"), d);
        }
        int replicas = (int) integer(sf, "replicas", 0, 100_000, 0);
        return new Event.Scale(at, d, replicas, pos(v));
    }

    private Step step(Node node, String path, Names clients, Names deployments, KernelProfile profile,
            boolean kernelKnown) {
        Fields f = fields(itemMapping(node, path), Schema.STEP, path);
        NodeTuple action = single(f, path, "a step has", List.of());
        if (action == null) {
            return null;
        }
        String key = keyOf(action);
        Node v = action.getValueNode();
        String p = f.path(key);
        SourcePos at = pos(v);
        switch (key) {
            case "connect": {
                Fields c = fields(notNull(v, p), Schema.CONNECT, p);
                String client = clientRef(c, clients);
                return new Step.Connect(client, (int) integer(c, "sport", 0, 65535, 0), duration(c, "hold", false, 0),
                        choice(c, "close", CloseKind.values(), CloseKind.FIN), at);
            }
            case "wait":
                return new Step.Wait(orZero(durationNode(v, p, false)), at);
            case "ipvsadm":
                return new Step.Ipvsadm(string(v, p), at);
            case "iptables-restore":
                return new Step.IptablesRestore(string(v, p), at);
            case "nft":
                return new Step.Nft(string(v, p), at);
            case "conntrack":
                return new Step.Conntrack(string(v, p), at);
            case "sysctl":
                return new Step.SysctlStep(sysctls(notNull(v, p), p, profile, kernelKnown), at);
            case "deletePod":
            case "linkDown": {
                String pod = string(v, p);
                if (pod != null) {
                    java.util.regex.Matcher m = POD_NAME.matcher(pod);
                    if (!m.matches() || !deployments.has(m.group(1))) {
                        problem(v, p, "expected a pod name <deployment>-<ordinal> of a deployment ("
                                + deployments.list() + "), got " + describe(v));
                    }
                }
                return key.equals("deletePod") ? new Step.DeletePod(pod, at) : new Step.LinkDown(pod, at);
            }
            case "vanish": {
                Fields c = fields(notNull(v, p), Schema.VANISH, p);
                String client = clientRef(c, clients);
                return new Step.Vanish(client, (int) integer(c, "sport", 1, 65535, 0), at);
            }
            default:
                return new Step.Dump(dumpKinds(v, p), at);
        }
    }

    private String clientRef(Fields c, Names clients) {
        Node cn = get(c, "client");
        String client = string(cn, c.path("client"));
        if (client != null) {
            clients.check(cn, c.path("client"), client);
        }
        return client;
    }

    private List<DumpKind> dumpKinds(Node v, String path) {
        List<DumpKind> kinds = new ArrayList<>();
        if (v instanceof ScalarNode && !isNull(v)) {
            DumpKind k = choiceNode(v, path, DumpKind.values());
            if (k != null) {
                kinds.add(k);
            }
            return kinds;
        }
        List<Node> items = items(notNull(v, path), path);
        if (items.isEmpty() && v instanceof SequenceNode) {
            problem(v, path, "expected at least one of " + names(DumpKind.values()));
        }
        for (int i = 0; i < items.size(); i++) {
            DumpKind k = choiceNode(items.get(i), path + "[" + i + "]", DumpKind.values());
            if (k != null) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    /** The one action key of an event or step (besides {@code ignored}), or null after a problem. */
    private NodeTuple single(Fields f, String path, String what, List<String> ignored) {
        List<NodeTuple> actions = new ArrayList<>();
        for (NodeTuple t : f.present) {
            if (!ignored.contains(keyOf(t))) {
                actions.add(t);
            }
        }
        if (actions.size() > 1) {
            problem(actions.get(1).getKeyNode(), f.path(keyOf(actions.get(1))), what + " exactly one action, found "
                    + actions.stream().map(NodeMapper::keyOf).collect(Collectors.joining(" and ")));
            return null;
        }
        if (actions.isEmpty()) {
            if (f.unknown == 0) {
                List<String> choices = f.schema.fields().stream().map(Schema.Field::name)
                        .filter(n -> !ignored.contains(n)).collect(Collectors.toList());
                problem(f.node, path, what + " no action: expected one of " + String.join(", ", choices));
            }
            return null;
        }
        return actions.get(0);
    }

    // ------------------------------------------------------------------ mappings

    /** A mapping read against its schema: unknown and duplicate keys are reported once here. */
    final class Fields {
        final Node node;
        final Schema.Obj schema;
        final String prefix;
        final Map<String, NodeTuple> byName = new HashMap<>();
        final List<NodeTuple> present = new ArrayList<>();
        int unknown;

        Fields(Node node, Schema.Obj schema, String prefix) {
            this.node = node;
            this.schema = schema;
            this.prefix = prefix;
        }

        String path(String name) {
            return prefix.isEmpty() ? name : prefix + "." + name;
        }
    }

    private Fields fields(Node node, Schema.Obj schema, String path) {
        Fields f = new Fields(node, schema, path);
        if (node == null || isNull(node)) {
            return f;
        }
        if (!(node instanceof MappingNode)) {
            problem(node, path, "expected a mapping with fields " + schema.known() + ", got " + describe(node));
            return f;
        }
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            String key = fieldName(t.getKeyNode(), path, seen);
            if (key == null) {
                f.unknown++;
                continue;
            }
            if (schema.field(key) == null) {
                problem(t.getKeyNode(), f.path(key), "unknown field (known: " + schema.known() + ")");
                f.unknown++;
                continue;
            }
            f.byName.put(key, t);
            f.present.add(t);
            positions.put(f.path(key), pos(t.getValueNode()));
        }
        return f;
    }

    /** The key text of a mapping entry, or null (with a problem) when it is not a new scalar key. */
    private String fieldName(Node keyNode, String path, Map<String, Node> seen) {
        if (!(keyNode instanceof ScalarNode)) {
            problem(keyNode, path.isEmpty() ? "(top)" : path, "expected a field name, got " + describe(keyNode));
            return null;
        }
        String key = ((ScalarNode) keyNode).getValue();
        Node first = seen.putIfAbsent(key, keyNode);
        if (first != null) {
            problem(keyNode, path.isEmpty() ? key : path + "." + key, "duplicate key (first at " + pos(first) + ")");
            return null;
        }
        return key;
    }

    private static String keyOf(NodeTuple t) {
        return ((ScalarNode) t.getKeyNode()).getValue();
    }

    /** The written value of a field; null when absent or written as null. */
    private static Node value(Fields f, String name) {
        NodeTuple t = f.byName.get(name);
        if (t == null || isNull(t.getValueNode())) {
            return null;
        }
        return t.getValueNode();
    }

    /** The written value or the schema default as a node; null (after a problem if required) when none. */
    private Node get(Fields f, String name) {
        Node v = value(f, name);
        if (v != null) {
            return v;
        }
        Schema.Field field = f.schema.field(name);
        if (field.required()) {
            problem(anchor(f, name), f.path(name), "required field is missing");
            return null;
        }
        if (field.defaultText() == null) {
            return null;
        }
        Tag tag = CORE.getScalarResolver().resolve(field.defaultText(), true);
        return new ScalarNode(tag, field.defaultText(), ScalarStyle.PLAIN);
    }

    /** Where to report something about a field that may be absent: its key, else the mapping. */
    private static Node anchor(Fields f, String name) {
        NodeTuple t = f.byName.get(name);
        return t != null ? t.getKeyNode() : f.node;
    }

    private Node itemMapping(Node node, String path) {
        if (isNull(node)) {
            problem(node, path, "expected a mapping, got null");
            return null;
        }
        return node;
    }

    private Node notNull(Node node, String path) {
        if (isNull(node)) {
            problem(node, path, "expected a value, got null");
            return null;
        }
        return node;
    }

    private List<Node> items(Node node, String path) {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode)) {
            problem(node, path, "expected a list, got " + describe(node));
            return List.of();
        }
        return ((SequenceNode) node).getValue();
    }

    // ------------------------------------------------------------------ typed values

    private String text(Fields f, String name, String fallback) {
        Node n = get(f, name);
        if (n == null) {
            return fallback;
        }
        String s = string(n, f.path(name));
        return s == null ? fallback : s;
    }

    private String string(Node n, String path) {
        if (n == null) {
            return null;
        }
        if (n instanceof ScalarNode && !isNull(n)) {
            return ((ScalarNode) n).getValue();
        }
        problem(n, path, "expected a string, got " + describe(n));
        return null;
    }

    private long integer(Fields f, String name, long min, long max, long fallback) {
        Node n = get(f, name);
        if (n == null) {
            return fallback;
        }
        Long v = integerNode(n, f.path(name), min, max);
        return v == null ? fallback : v;
    }

    private Long integerNode(Node n, String path, long min, long max) {
        BigInteger v = n instanceof ScalarNode && Tag.INT.equals(n.getTag()) ? bigInteger(((ScalarNode) n).getValue()) : null;
        String range = min == Long.MIN_VALUE ? "" : max == Long.MAX_VALUE ? " >= " + min : " in " + min + ".." + max;
        if (v == null || v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            problem(n, path, "expected an integer" + range + ", got " + describe(n));
            return null;
        }
        return v.longValueExact();
    }

    private static BigInteger bigInteger(String text) {
        String t = text.startsWith("+") ? text.substring(1) : text;
        try {
            if (t.startsWith("0x")) {
                return new BigInteger(t.substring(2), 16);
            }
            if (t.startsWith("0o")) {
                return new BigInteger(t.substring(2), 8);
            }
            return new BigInteger(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private double number(Fields f, String name) {
        Node n = get(f, name);
        if (n == null) {
            return 0;
        }
        boolean numeric = n instanceof ScalarNode && (Tag.INT.equals(n.getTag()) || Tag.FLOAT.equals(n.getTag()));
        double v = Double.NaN;
        if (numeric) {
            try {
                v = Double.parseDouble(((ScalarNode) n).getValue());
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
        }
        if (!Double.isFinite(v)) {
            problem(n, f.path(name), "expected a positive number, got " + describe(n));
            return 0;
        }
        if (v < 0) {
            problem(n, f.path(name), "expected a positive number or 0, got " + describe(n));
            return 0;
        }
        return v;
    }

    private long duration(Fields f, String name, boolean positive, long fallback) {
        Node n = get(f, name);
        if (n == null) {
            return fallback;
        }
        Long v = durationNode(n, f.path(name), positive);
        return v == null ? fallback : v;
    }

    private Long durationNode(Node n, String path, boolean positive) {
        if (!(n instanceof ScalarNode) || isNull(n)) {
            problem(n, path, Durations.EXPECTED + ", got " + describe(n));
            return null;
        }
        String t = ((ScalarNode) n).getValue();
        long v;
        try {
            v = Durations.parse(t);
        } catch (IllegalArgumentException e) {
            problem(n, path, e.getMessage());
            return null;
        }
        if (positive && v == 0) {
            problem(n, path, "expected a duration above 0, got " + describe(n));
            return null;
        }
        return v;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private <E extends YamlNamed> E choice(Fields f, String name, E[] values, E fallback) {
        Node n = get(f, name);
        if (n == null) {
            return fallback;
        }
        E e = choiceNode(n, f.path(name), values);
        return e == null ? fallback : e;
    }

    private <E extends YamlNamed> E choiceNode(Node n, String path, E[] values) {
        if (n instanceof ScalarNode && !isNull(n)) {
            String t = ((ScalarNode) n).getValue();
            for (E e : values) {
                if (e.yamlName().equals(t)) {
                    return e;
                }
            }
        }
        problem(n, path, "expected one of " + names(values) + ", got " + describe(n));
        return null;
    }

    private static String names(YamlNamed[] values) {
        List<String> out = new ArrayList<>();
        for (YamlNamed v : values) {
            out.add(v.yamlName());
        }
        return String.join(", ", out);
    }

    private int ipv4(Node n, String path) {
        if (n == null) {
            return 0;
        }
        if (!(n instanceof ScalarNode) || isNull(n)) {
            problem(n, path, "expected an IPv4 address like 10.96.0.10, got " + describe(n));
            return 0;
        }
        try {
            return Ip4.parse(((ScalarNode) n).getValue());
        } catch (IllegalArgumentException e) {
            problem(n, path, e.getMessage());
            return 0;
        }
    }

    private IntOrPercent intOrPercent(Fields f, String name) {
        Node n = get(f, name);
        if (n instanceof ScalarNode) {
            String t = ((ScalarNode) n).getValue();
            if (Tag.INT.equals(n.getTag())) {
                BigInteger v = bigInteger(t);
                if (v != null && v.signum() >= 0 && v.bitLength() < 31) {
                    return new IntOrPercent(v.intValueExact(), false);
                }
            } else if (Tag.STR.equals(n.getTag())) {
                java.util.regex.Matcher m = PERCENT.matcher(t);
                if (m.matches() && Integer.parseInt(m.group(1)) <= 100) {
                    return new IntOrPercent(Integer.parseInt(m.group(1)), true);
                }
            }
        }
        problem(n, f.path(name), "expected an integer >= 0 or a percentage like 25%, got " + describe(n));
        return new IntOrPercent(1, false);
    }

    private SortedMap<Sysctl, Long> sysctls(Node node, String path, KernelProfile profile, boolean checkExists) {
        SortedMap<Sysctl, Long> out = new TreeMap<>();
        if (node == null || isNull(node)) {
            return out;
        }
        if (!(node instanceof MappingNode)) {
            problem(node, path, "expected a mapping of sysctl names to values, got " + describe(node));
            return out;
        }
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            String key = fieldName(t.getKeyNode(), path, seen);
            if (key == null) {
                continue;
            }
            String p = path + "." + key;
            Sysctl s = Sysctl.byKey(key);
            if (s == null) {
                problem(t.getKeyNode(), p, "unknown sysctl \"" + key + "\"");
                continue;
            }
            if (checkExists && !s.existsIn(profile)) {
                problem(t.getKeyNode(), p, "does not exist on kernel " + profile.name());
                continue;
            }
            Node v = t.getValueNode();
            boolean text = v instanceof ScalarNode && (Tag.INT.equals(v.getTag()) || Tag.STR.equals(v.getTag()));
            if (!text) {
                problem(v, p, "expected an integer or \"LOW HIGH\", got " + describe(v));
                continue;
            }
            try {
                out.put(s, s.parse(((ScalarNode) v).getValue(), profile));
            } catch (IllegalArgumentException e) {
                problem(v, p, e.getMessage());
            }
        }
        return out;
    }

    private SortedMap<KernelFeature, Boolean> features(Node node, String path) {
        SortedMap<KernelFeature, Boolean> out = new TreeMap<>();
        if (node == null) {
            return out;
        }
        if (!(node instanceof MappingNode)) {
            problem(node, path, "expected a mapping of kernel feature names to true or false, got " + describe(node));
            return out;
        }
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            String key = fieldName(t.getKeyNode(), path, seen);
            if (key == null) {
                continue;
            }
            KernelFeature feature = null;
            for (KernelFeature k : KernelFeature.values()) {
                if (k.key().equals(key)) {
                    feature = k;
                }
            }
            if (feature == null) {
                List<String> known = new ArrayList<>();
                for (KernelFeature k : KernelFeature.values()) {
                    known.add(k.key());
                }
                problem(t.getKeyNode(), path + "." + key, "unknown kernel feature (known: " + String.join(", ", known) + ")");
                continue;
            }
            Node v = t.getValueNode();
            if (!(v instanceof ScalarNode) || !Tag.BOOL.equals(v.getTag())) {
                problem(v, path + "." + key, "expected true or false, got " + describe(v));
                continue;
            }
            out.put(feature, ((ScalarNode) v).getValue().equalsIgnoreCase("true"));
        }
        return out;
    }

    // ------------------------------------------------------------------ names and references

    /** The names of one kind of object, for uniqueness and references. */
    private final class Names {
        private final String kind;
        private final Map<String, SourcePos> first = new HashMap<>();
        private final List<String> order = new ArrayList<>();

        Names(String kind) {
            this.kind = kind;
        }

        /** Reads the required name field and records it, reporting a duplicate. */
        String add(Fields f, String field) {
            Node n = get(f, field);
            String name = string(n, f.path(field));
            if (name == null) {
                return "";
            }
            SourcePos at = first.putIfAbsent(name, pos(n));
            if (at != null) {
                problem(n, f.path(field), "duplicate " + kind + " name \"" + name + "\" (first at " + at + ")");
            } else {
                order.add(name);
            }
            return name;
        }

        boolean has(String name) {
            return first.containsKey(name);
        }

        String list() {
            return order.isEmpty() ? "none defined" : String.join(", ", order);
        }

        void check(Node at, String path, String name) {
            if (!has(name)) {
                problem(at, path, "no " + kind + " named \"" + name + "\" (" + kind + "s: " + list() + ")");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    static boolean isNull(Node n) {
        return n instanceof ScalarNode && Tag.NULL.equals(n.getTag());
    }

    SourcePos pos(Node n) {
        Optional<Mark> m = n == null ? Optional.empty() : n.getStartMark();
        if (m.isEmpty()) {
            return new SourcePos(label, 1, 1);
        }
        return new SourcePos(m.get().getName(), m.get().getLine() + 1, m.get().getColumn() + 1);
    }

    private void problem(Node at, String field, String message) {
        SourcePos p = pos(at);
        problems.add(new Problem(p.file(), p.line(), p.column(), field.isEmpty() ? "(top)" : field, message));
    }

    /** How a value is quoted in messages: strings in quotes, other scalars as written. */
    static String describe(Node n) {
        if (n == null || isNull(n)) {
            return "null";
        }
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        String v = ((ScalarNode) n).getValue();
        if (v.length() > 40) {
            v = v.substring(0, 40) + "...";
        }
        v = v.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\"", "\\\"");
        return Tag.STR.equals(n.getTag()) ? "\"" + v + "\"" : v;
    }
}
