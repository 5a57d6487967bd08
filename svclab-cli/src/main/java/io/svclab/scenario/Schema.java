package io.svclab.scenario;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of the scenario file, defined once as data: every mapping's field names, what each
 * holds and its default (as YAML text, parsed by the same code as a written value). The mapper
 * reads fields through it, rejects unknown ones with its "known" lists, and {@code --set} walks it
 * to check and create paths.
 */
final class Schema {

    /** What a field holds. */
    enum Shape {
        /** One scalar value. */
        SCALAR,
        /** A mapping described by {@link Field#child()}. */
        OBJECT,
        /** A list of mappings described by {@link Field#child()}. */
        OBJECT_LIST,
        /** A list of scalars (or one scalar). */
        SCALAR_LIST,
        /** A mapping of dotted sysctl names to values. */
        SYSCTL_MAP,
        /** A mapping of kernel feature names to booleans. */
        FEATURE_MAP
    }

    /**
     * One field of a mapping.
     *
     * @param name the key in the file
     * @param shape what it holds
     * @param child the schema of the mapping or list items, for OBJECT and OBJECT_LIST
     * @param defaultText the default as YAML scalar text, or null when computed or none
     * @param required whether the field must be written
     */
    record Field(String name, Shape shape, Obj child, String defaultText, boolean required) {
    }

    /**
     * The schema of one mapping.
     *
     * @param fields its fields, in documentation order
     */
    record Obj(List<Field> fields) {

        /** The field of that name, or null. */
        Field field(String name) {
            for (Field f : fields) {
                if (f.name().equals(name)) {
                    return f;
                }
            }
            return null;
        }

        /** {@code a, b, c}: for "unknown field" messages. */
        String known() {
            return fields.stream().map(Field::name).collect(Collectors.joining(", "));
        }
    }

    static final Obj PROXY = new Obj(List.of(
            value("mode", "iptables"),
            value("version", "1.33"),
            value("scheduler", "rr"),
            value("syncPeriod", "30s"),
            value("minSyncPeriod", null),
            value("watchDelay", "100ms")));

    static final Obj NETWORK = new Obj(List.of(
            value("nodes", "1"),
            value("intraNodeLatency", "50us"),
            value("interNodeLatency", "200us"),
            value("cni", "bridge")));

    static final Obj SERVICE = new Obj(List.of(
            required("name"),
            required("clusterIP"),
            value("port", "80"),
            value("targetPort", null),
            value("protocol", "TCP"),
            value("sessionAffinity", "None"),
            value("sessionAffinityTimeout", "10800s")));

    static final Obj STRATEGY = new Obj(List.of(
            value("maxSurge", "25%"),
            value("maxUnavailable", "25%")));

    static final Obj POD = new Obj(List.of(
            value("startup", "2s"),
            value("readinessDelay", "1s"),
            value("preStop", "0s"),
            value("terminationGracePeriod", "30s"),
            value("onSigterm", "exit"),
            value("closer", "client"),
            value("onClientClose", "close"),
            value("keepAliveTimeout", "0s"),
            new Field("sysctl", Shape.SYSCTL_MAP, null, null, false)));

    static final Obj DEPLOYMENT = new Obj(List.of(
            required("name"),
            value("service", null),
            value("replicas", "1"),
            new Field("podIPs", Shape.SCALAR_LIST, null, null, false),
            object("strategy", STRATEGY),
            object("pod", POD)));

    static final Obj CLIENT = new Obj(List.of(
            required("name"),
            value("replicas", "1"),
            required("target"),
            value("connectionsPerSecond", "100"),
            value("arrivals", "poisson"),
            value("concurrency", "0"),
            value("pattern", "short"),
            value("poolSize", "10"),
            value("idleTimeout", "90s"),
            value("requestDuration", "2ms"),
            value("timeout", "3s"),
            new Field("sysctl", Shape.SYSCTL_MAP, null, null, false)));

    static final Obj SCALE = new Obj(List.of(
            required("deployment"),
            required("replicas")));

    /** An event: {@code at} plus exactly one action. */
    static final Obj EVENT = new Obj(List.of(
            required("at"),
            value("rollout", null),
            object("scale", SCALE)));

    static final Obj CONNECT = new Obj(List.of(
            required("client"),
            value("sport", "0"),
            value("hold", "0s"),
            value("close", "fin")));

    static final Obj VANISH = new Obj(List.of(
            required("client"),
            required("sport")));

    /** A step: exactly one of these keys. */
    static final Obj STEP = new Obj(List.of(
            object("connect", CONNECT),
            value("wait", null),
            value("ipvsadm", null),
            value("iptables-restore", null),
            value("nft", null),
            new Field("sysctl", Shape.SYSCTL_MAP, null, null, false),
            value("deletePod", null),
            value("linkDown", null),
            object("vanish", VANISH),
            value("conntrack", null),
            new Field("dump", Shape.SCALAR_LIST, null, null, false)));

    static final Obj ROOT = new Obj(List.of(
            value("name", null),
            value("seed", "1"),
            value("duration", "60s"),
            value("kernel", "6.12"),
            new Field("kernelFeatures", Shape.FEATURE_MAP, null, null, false),
            object("proxy", PROXY),
            object("network", NETWORK),
            new Field("sysctl", Shape.SYSCTL_MAP, null, null, false),
            list("services", SERVICE),
            list("deployments", DEPLOYMENT),
            list("clients", CLIENT),
            list("events", EVENT),
            list("steps", STEP)));

    private Schema() {
    }

    private static Field value(String name, String defaultText) {
        return new Field(name, Shape.SCALAR, null, defaultText, false);
    }

    private static Field required(String name) {
        return new Field(name, Shape.SCALAR, null, null, true);
    }

    private static Field object(String name, Obj child) {
        return new Field(name, Shape.OBJECT, child, null, false);
    }

    private static Field list(String name, Obj child) {
        return new Field(name, Shape.OBJECT_LIST, child, null, false);
    }
}
