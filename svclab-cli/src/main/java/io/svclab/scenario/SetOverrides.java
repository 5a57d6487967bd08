package io.svclab.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Applies {@code --set KEY=VALUE} overrides to a composed node tree before it is mapped, walking
 * {@link Schema} to check the path and to create mappings the file leaves out. The new value nodes
 * carry marks in the {@code --set} "file" (line = position of the override, column = where the
 * value starts), so problems the mapper finds in them point at the command line.
 */
final class SetOverrides {

    /** The file label of problems in overrides. */
    static final String LABEL = "--set";

    /** Deeper values are cut (they can only be recursive aliases: no field nests this deep). */
    private static final int MAX_DEPTH = 32;

    /** Settings for composing override values (immutable, shared). */
    private static final LoadSettings SETTINGS = LoadSettings.builder().setLabel(LABEL).setSchema(new CoreSchema())
            .setAllowDuplicateKeys(false).setCodePointLimit(1 << 20).build();

    private final List<Problem> problems;

    SetOverrides(List<Problem> problems) {
        this.problems = problems;
    }

    /**
     * Applies the overrides in order and returns the (possibly new) root. A root that is not a
     * mapping is left alone; the mapper reports it.
     */
    Node apply(Node root, List<String> sets) {
        if (sets.isEmpty()) {
            return root;
        }
        Node r = root;
        if (r == null || NodeMapper.isNull(r)) {
            r = new MappingNode(Tag.MAP, new ArrayList<>(), FlowStyle.BLOCK);
        }
        if (!(r instanceof MappingNode)) {
            return r;
        }
        for (int i = 0; i < sets.size(); i++) {
            applyOne((MappingNode) r, sets.get(i) == null ? "" : sets.get(i), i + 1);
        }
        return r;
    }

    private void applyOne(MappingNode root, String set, int line) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            problem(line, 1, set.isEmpty() ? "(set)" : set, "expected KEY=VALUE, got \"" + set + "\"");
            return;
        }
        String key = set.substring(0, eq);
        String[] segs = key.split("\\.", -1);
        for (String s : segs) {
            if (s.isEmpty()) {
                problem(line, 1, key, "expected a dotted path like proxy.mode, got \"" + key + "\"");
                return;
            }
        }
        Node value = valueNode(set.substring(eq + 1), line, eq + 2, key);
        if (value == null) {
            return;
        }
        Optional<Mark> keyMark = Optional.of(mark(line, 1));
        Schema.Obj obj = Schema.ROOT;
        MappingNode cur = root;
        int i = 0;
        while (true) {
            String seg = segs[i];
            String path = join(segs, 0, i + 1);
            Schema.Field f = obj.field(seg);
            if (f == null) {
                problem(line, 1, path, "unknown field (known: " + obj.known() + ")");
                return;
            }
            if (i == segs.length - 1) {
                put(cur, seg, value, keyMark);
                return;
            }
            switch (f.shape()) {
                case OBJECT: {
                    MappingNode child = mapping(cur, seg, keyMark, line, path);
                    if (child == null) {
                        return;
                    }
                    obj = f.child();
                    cur = child;
                    i++;
                    break;
                }
                case OBJECT_LIST: {
                    String idx = segs[i + 1];
                    String idxPath = join(segs, 0, i + 2);
                    Node list = find(cur, seg);
                    List<Node> items = list instanceof SequenceNode ? ((SequenceNode) list).getValue() : List.of();
                    if (!idx.matches("\\d{1,9}")) {
                        problem(line, 1, idxPath, "expected a list index after " + path + ", got \"" + idx + "\"");
                        return;
                    }
                    int n = Integer.parseInt(idx);
                    if (n >= items.size()) {
                        problem(line, 1, idxPath, "index " + n + " is past the end of the list (" + items.size()
                                + (items.size() == 1 ? " item)" : " items)"));
                        return;
                    }
                    if (i + 1 == segs.length - 1) {
                        items.set(n, value);
                        return;
                    }
                    Node item = items.get(n);
                    if (NodeMapper.isNull(item)) {
                        item = new MappingNode(Tag.MAP, true, new ArrayList<>(), FlowStyle.BLOCK, keyMark, keyMark);
                        items.set(n, item);
                    }
                    if (!(item instanceof MappingNode)) {
                        problem(line, 1, idxPath, "cannot set a field inside " + idxPath + ": it is not a mapping");
                        return;
                    }
                    obj = f.child();
                    cur = (MappingNode) item;
                    i += 2;
                    break;
                }
                case SYSCTL_MAP:
                case FEATURE_MAP: {
                    MappingNode child = mapping(cur, seg, keyMark, line, path);
                    if (child != null) {
                        put(child, join(segs, i + 1, segs.length), value, keyMark);
                    }
                    return;
                }
                default:
                    problem(line, 1, join(segs, 0, i + 2), "unknown field (" + path + " is a single value)");
                    return;
            }
        }
    }

    /** The mapping under {@code key}, created when absent or null; null after a problem. */
    private MappingNode mapping(MappingNode parent, String key, Optional<Mark> mark, int line, String path) {
        Node existing = find(parent, key);
        if (existing instanceof MappingNode) {
            return (MappingNode) existing;
        }
        if (existing != null && !NodeMapper.isNull(existing)) {
            problem(line, 1, path, "cannot set a field inside " + path + ": it is not a mapping");
            return null;
        }
        MappingNode created = new MappingNode(Tag.MAP, true, new ArrayList<>(), FlowStyle.BLOCK, mark, mark);
        put(parent, key, created, mark);
        return created;
    }

    private static Node find(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode && ((ScalarNode) t.getKeyNode()).getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    /** Replaces the value of the first entry with this key, or appends an entry. */
    private static void put(MappingNode m, String key, Node value, Optional<Mark> mark) {
        List<NodeTuple> tuples = new ArrayList<>(m.getValue());
        for (int i = 0; i < tuples.size(); i++) {
            Node k = tuples.get(i).getKeyNode();
            if (k instanceof ScalarNode && ((ScalarNode) k).getValue().equals(key)) {
                tuples.set(i, new NodeTuple(k, value));
                m.setValue(tuples);
                return;
            }
        }
        tuples.add(new NodeTuple(new ScalarNode(Tag.STR, true, key, ScalarStyle.PLAIN, mark, mark), value));
        m.setValue(tuples);
    }

    /** The value text as a YAML node with marks on the command line; null after a problem. */
    private Node valueNode(String text, int line, int column, String key) {
        Optional<Node> composed;
        try {
            composed = new Compose(SETTINGS).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int c = e.getProblemMark().map(m -> m.getLine() == 0 ? m.getColumn() : 0).orElse(0);
            problem(line, column + c, key, "bad value: " + ScenarioLoader.firstLine(e.getProblem()));
            return null;
        } catch (YamlEngineException | IllegalArgumentException | IllegalStateException e) {
            problem(line, column, key, "bad value: " + ScenarioLoader.firstLine(e.getMessage()));
            return null;
        }
        if (composed.isEmpty()) {
            Optional<Mark> m = Optional.of(mark(line, column));
            return new ScalarNode(Tag.NULL, true, "", ScalarStyle.PLAIN, m, m);
        }
        return remark(composed.get(), line, column, 0);
    }

    /** A copy of the node with marks moved onto the override's place on the command line. */
    private static Node remark(Node n, int line, int column, int depth) {
        int c = n.getStartMark().map(m -> m.getLine() == 0 ? m.getColumn() : 0).orElse(0);
        Optional<Mark> m = Optional.of(mark(line, column + c));
        if (depth > MAX_DEPTH) {
            return new ScalarNode(Tag.NULL, true, "", ScalarStyle.PLAIN, m, m);
        }
        if (n instanceof MappingNode) {
            List<NodeTuple> tuples = new ArrayList<>();
            for (NodeTuple t : ((MappingNode) n).getValue()) {
                tuples.add(new NodeTuple(remark(t.getKeyNode(), line, column, depth + 1),
                        remark(t.getValueNode(), line, column, depth + 1)));
            }
            return new MappingNode(n.getTag(), true, tuples, FlowStyle.FLOW, m, m);
        }
        if (n instanceof SequenceNode) {
            List<Node> items = new ArrayList<>();
            for (Node item : ((SequenceNode) n).getValue()) {
                items.add(remark(item, line, column, depth + 1));
            }
            return new SequenceNode(n.getTag(), true, items, FlowStyle.FLOW, m, m);
        }
        ScalarNode s = (ScalarNode) n;
        return new ScalarNode(s.getTag(), true, s.getValue(), s.getScalarStyle(), m, m);
    }

    /** A mark at a 1-based line and column of the {@code --set} pseudo-file. */
    private static Mark mark(int line, int column) {
        return new Mark(LABEL, 0, line - 1, column - 1, new int[0], 0);
    }

    private static String join(String[] segs, int from, int to) {
        return String.join(".", java.util.Arrays.asList(segs).subList(from, to));
    }

    private void problem(int line, int column, String field, String message) {
        problems.add(new Problem(LABEL, line, column, field, message));
    }
}
