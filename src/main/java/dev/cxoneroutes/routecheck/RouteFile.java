package dev.cxoneroutes.routecheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The names one YAML route file uses and defines, each with its line: bean references, endpoints
 * it sends to and consumes, route configurations, route ids. Read from the YAML node tree, so
 * every name keeps the line it is written on.
 */
final class RouteFile {

    /** A name and the 1-based line it is written on. */
    record Named(String name, int line) {}

    /** Keys whose scalar value names a bean in the registry. */
    private static final Set<String> BEAN_NAME_KEYS = Set.of("executorService", "aggregationStrategy", "onPrepare");

    /** Keys whose scalar value is an endpoint the route sends to. */
    private static final Set<String> SENDING_KEYS =
            Set.of("to", "toD", "wireTap", "enrich", "pollEnrich", "inOnly", "inOut");

    /** Components whose endpoints exist only when a route consumes them. */
    private static final Set<String> INTERNAL_COMPONENTS = Set.of("direct", "seda");

    final String path;
    final List<Named> beanRefs = new ArrayList<>();
    final List<Named> beansDefined = new ArrayList<>();
    final List<Named> endpointsSent = new ArrayList<>();
    final List<Named> endpointsConsumed = new ArrayList<>();
    final List<Named> routeConfigurationRefs = new ArrayList<>();
    final List<Named> routeConfigurationsDefined = new ArrayList<>();
    final List<Named> routeIds = new ArrayList<>();

    RouteFile(String path, Node root) {
        this.path = path;
        walk(root, "");
    }

    private void walk(Node node, String key) {
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> walk(item, key));
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String childKey = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
                visit(key, childKey, tuple.getValueNode());
                walk(tuple.getValueNode(), childKey);
            }
        }
    }

    /** One key of a mapping that sits under {@code parentKey}. */
    private void visit(String parentKey, String key, Node value) {
        String scalar = value instanceof ScalarNode s ? s.getValue() : null;
        int line = line(value);
        switch (key) {
            case "routeConfigurationId" -> {
                if (scalar != null) {
                    for (String id : scalar.split(",")) {
                        if (!id.isBlank() && !id.contains("*")) {
                            routeConfigurationRefs.add(new Named(id.trim(), line));
                        }
                    }
                }
            }
            case "id" -> {
                if (scalar != null && parentKey.equals("route")) {
                    routeIds.add(new Named(scalar, line));
                } else if (scalar != null && parentKey.equals("routeConfiguration")) {
                    routeConfigurationsDefined.add(new Named(scalar, line));
                }
            }
            case "from" -> endpoint(value).ifPresent(uri -> consumed(uri, line(value, "uri")));
            case "uri" -> {
                if (scalar != null && !parentKey.equals("from")) {
                    sent(scalar, line);
                }
            }
            case "bean", "process" -> {
                if (scalar != null) {
                    beanRefs.add(new Named(scalar, line));
                } else {
                    ref(value).ifPresent(beanRefs::add);
                }
            }
            case "method" -> ref(value).ifPresent(beanRefs::add);
            case "beans" -> {
                if (value instanceof SequenceNode beans) {
                    for (Node bean : beans.getValue()) {
                        scalarAt(bean, "name").ifPresent(beansDefined::add);
                    }
                }
            }
            default -> {
                if (scalar != null && SENDING_KEYS.contains(key)) {
                    sent(scalar, line);
                } else if (scalar != null && BEAN_NAME_KEYS.contains(key) && registryName(scalar) != null) {
                    beanRefs.add(new Named(registryName(scalar), line));
                }
            }
        }
    }

    private void sent(String uri, int line) {
        if (uri.startsWith("bean:")) {
            beanRefs.add(new Named(endpointPath(uri.substring("bean:".length())), line));
        }
        internalEndpoint(uri).ifPresent(endpoint -> endpointsSent.add(new Named(endpoint, line)));
    }

    private void consumed(String uri, int line) {
        internalEndpoint(uri).ifPresent(endpoint -> endpointsConsumed.add(new Named(endpoint, line)));
    }

    /** {@code direct:name?x=y} → {@code direct:name}; other components and dynamic URIs → empty. */
    static java.util.Optional<String> internalEndpoint(String uri) {
        int colon = uri.indexOf(':');
        if (colon < 0 || uri.contains("${")) {
            return java.util.Optional.empty();
        }
        String component = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!INTERNAL_COMPONENTS.contains(component)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(component + ":" + endpointPath(uri.substring(colon + 1)));
    }

    private static String endpointPath(String rest) {
        String path = rest.startsWith("//") ? rest.substring(2) : rest;
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** A registry reference as options spell it: {@code name}, {@code #name} or {@code #bean:name}; null for a class. */
    private static String registryName(String value) {
        if (value.startsWith("#class:") || value.startsWith("#type:") || value.contains("${")) {
            return null;
        }
        if (value.startsWith("#bean:")) {
            return value.substring("#bean:".length());
        }
        return value.startsWith("#") ? value.substring(1) : value;
    }

    private static java.util.Optional<String> endpoint(Node from) {
        if (from instanceof ScalarNode scalar) {
            return java.util.Optional.of(scalar.getValue());
        }
        return scalarAt(from, "uri").map(Named::name);
    }

    private static java.util.Optional<Named> ref(Node node) {
        return scalarAt(node, "ref");
    }

    private static java.util.Optional<Named> scalarAt(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k
                        && k.getValue().equals(key)
                        && tuple.getValueNode() instanceof ScalarNode v) {
                    return java.util.Optional.of(new Named(v.getValue(), line(v)));
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static int line(Node node, String key) {
        return scalarAt(node, key).map(Named::line).orElse(line(node));
    }

    static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
    }
}
