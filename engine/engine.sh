#!/usr/bin/env bash
# engine/engine.sh up|down|url|status: a real OpenSearch for the distributed backend.
#
#   up      resolve the jars through Maven (engine/pom.xml), compile the launcher,
#           start it in the background, wait for the cluster health, print the URL
#           as the last line. Already running and healthy: print its URL.
#           Exit 1 when it fails (the reason is printed), 3 when Maven Central
#           cannot be reached (then the file engine/offline says so, for CI).
#   down    stop it (TERM, then KILL after ENGINE_STOP_WAIT seconds).
#   url     print the URL of the running engine (exit 1 when none).
#   node-up K   start node K of a cluster run as separate processes again (after a
#           fault test killed it); node-pid K prints its pid.
#
# Everything lives under $POLICYLENS_DATA_DIR/engine (default ./data/engine):
# node data and logs, the launcher's output (engine.out), its pid and URL.
# ENGINE_PORT (9200) is the first HTTP port tried, ENGINE_MAX_PORT (9249) the last;
# ENGINE_NODES (1) the number of nodes; ENGINE_HEAP (1g) the JVM heap;
# ENGINE_TIMEOUT (180) seconds to wait for the start. ENGINE_KNN (1 with the default
# runner, 0 with ENGINE_RUNNER) loads the k-NN plugin (knn_vector, passage vectors):
# its zip from Maven Central, unpacked under the engine folder. ENGINE_PROCESSES=1
# with ENGINE_NODES>1 runs every node in its own JVM (ENGINE_HEAP each; fault tests
# kill one with -9): pids in engine-node-K.pid, output in engine-node-K.out.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")" && pwd)"
DATA="${POLICYLENS_DATA_DIR:-data}"
HOME_DIR="$(mkdir -p "$DATA/engine" && cd "$DATA/engine" && pwd)"
PID_FILE="$HOME_DIR/engine.pid"
URL_FILE="$HOME_DIR/engine.url"
OUT="$HOME_DIR/engine.out"
PORT="${ENGINE_PORT:-9200}"
MAX_PORT="${ENGINE_MAX_PORT:-9249}"
NODES="${ENGINE_NODES:-1}"
HEAP="${ENGINE_HEAP:-1g}"
# ENGINE_RUNNER=3.8.0.0 runs OpenSearch 3.8 instead of 2.19 (needs Java 21+: set
# ENGINE_JAVA_HOME, e.g. to a Temurin 25 JDK); the default is pom.xml's version
RUNNER="${ENGINE_RUNNER:-}"
JAVA_BIN="${ENGINE_JAVA_HOME:+$ENGINE_JAVA_HOME/bin/}"
CLASSES="$HOME_DIR/classes${RUNNER:+-$RUNNER}"
# the k-NN plugin is published for OpenSearch 2.19.1 (pom.xml's opensearch.knn.version)
# but not for every runner version: with another runner it is off unless asked for
KNN="${ENGINE_KNN:-$([ -z "$RUNNER" ] && echo 1 || echo 0)}"
PROCESSES="${ENGINE_PROCESSES:-0}"
TIMEOUT="${ENGINE_TIMEOUT:-180}"
STOP_WAIT="${ENGINE_STOP_WAIT:-30}"

# what Maven prints when the repository cannot be reached at all (exit 3, so CI can
# tell "no network" from a broken build)
OFFLINE_PATTERN='Could not transfer|UnknownHostException|Network is unreachable|No route to host|Connection refused|connect timed out|Connect to .* failed|Temporary failure in name resolution'

DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1  # as pinned in pom.xml

say() { echo "engine: $*" >&2; }

# The launcher's own lines (its failure and every cause) or else the output's tail.
show_failure() {
    grep -E "engine: |caused by: " "$OUT" | sed 's/^\[[^]]*\]\[[A-Z ]*\]\[[a-z ]*\] *//' \
        | tail -n 12 >&2 || tail -n 40 "$OUT" >&2
}

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

healthy() {  # $1 = URL
    curl -fsS --max-time 10 "$1/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1
}

# The classpath, resolved by Maven once per pom version (Maven Central only).
classpath() {
    local cp="$HOME_DIR/classpath${RUNNER:+-$RUNNER}.txt" stamp="$HOME_DIR/classpath${RUNNER:+-$RUNNER}.pom"
    if [ ! -s "$cp" ] || ! cmp -s "$ROOT/pom.xml" "$stamp"; then
        command -v mvn >/dev/null || { say "Maven (mvn) is not installed"; return 1; }
        say "resolving the OpenSearch jars with Maven (first run downloads ~70 MB)"
        # the plugin by its full name: with a prefix, an unreachable repository shows
        # only as "no plugin found for prefix", hiding the network error
        if ! mvn -B -f "$ROOT/pom.xml" "$DEPENDENCY_PLUGIN:build-classpath" \
                ${RUNNER:+-Dopensearch.runner.version=$RUNNER} \
                -Dmdep.outputFile="$cp.tmp" >"$HOME_DIR/maven.log" 2>&1; then
            grep -E '^\[(ERROR|WARNING)\]' "$HOME_DIR/maven.log" | head -n 20 >&2
            if grep -qE "$OFFLINE_PATTERN" "$HOME_DIR/maven.log"; then
                say "Maven Central cannot be reached (log: $HOME_DIR/maven.log)"
                echo "Maven Central cannot be reached: no OpenSearch jars" >"$HOME_DIR/offline"
                return 3
            fi
            say "Maven could not resolve the jars (log: $HOME_DIR/maven.log)"
            return 1
        fi
        mv "$cp.tmp" "$cp"
        cp "$ROOT/pom.xml" "$stamp"
    fi
    cat "$cp"
}

# The k-NN plugin's jars (its zip from Maven Central, unpacked once per version),
# as classpath entries; only its Lucene engine is used, which needs no native library.
knn_classpath() {
    local version dir
    version="$(sed -n 's:.*<opensearch.knn.version>\(.*\)</opensearch.knn.version>.*:\1:p' "$ROOT/pom.xml")"
    dir="$HOME_DIR/knn-$version"
    if [ ! -f "$dir/plugin-descriptor.properties" ]; then
        say "resolving the k-NN plugin $version with Maven"
        if ! mvn -B -f "$ROOT/pom.xml" "$DEPENDENCY_PLUGIN:copy" \
                -Dartifact="org.opensearch.plugin:opensearch-knn:$version:zip" \
                -DoutputDirectory="$HOME_DIR" >"$HOME_DIR/maven-knn.log" 2>&1; then
            grep -E '^\[ERROR\]' "$HOME_DIR/maven-knn.log" | head -n 5 >&2
            say "Maven could not resolve the k-NN plugin (log: $HOME_DIR/maven-knn.log)"
            return 1
        fi
        rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
        (cd "$dir.tmp" && "${JAVA_BIN}jar" xf "$HOME_DIR/opensearch-knn-$version.zip") || {
            say "could not unpack $HOME_DIR/opensearch-knn-$version.zip"; return 1; }
        rm -rf "$dir" && mv "$dir.tmp" "$dir"
    fi
    ls "$dir"/*.jar | tr '\n' ':'
}

compile() {  # $1 = classpath
    local src="$ROOT/src/main/java/org/policylens/engine/Engine.java"
    local cls="$CLASSES/org/policylens/engine/Engine.class"
    if [ ! -f "$cls" ] || [ "$src" -nt "$cls" ]; then
        "${JAVA_BIN}javac" -encoding UTF-8 -d "$CLASSES" -cp "$1" "$src" >&2
    fi
}

# The classpath (jars resolved, launcher compiled), printed; exit codes as classpath().
prepare() {
    command -v "${JAVA_BIN}java" >/dev/null || { say "Java is not installed"; return 1; }
    local cp rc=0
    cp="$(classpath)" || rc=$?
    [ "$rc" = 0 ] || return "$rc"
    if [ "$KNN" = 1 ]; then
        local knn
        knn="$(knn_classpath)" || return 1
        cp="$knn$cp"
    fi
    compile "$cp" || { say "the launcher did not compile"; return 1; }
    echo "$cp"
}

launch() {  # $1 = classpath, $2 = output file, then the launcher's own options
    local cp="$1" out="$2"
    shift 2
    nohup "${JAVA_BIN}java" -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseSerialGC -Djava.awt.headless=true \
        -Dfile.encoding=UTF-8 -Dlog4j2.disable.jmx=true \
        -cp "$CLASSES:$cp" org.policylens.engine.Engine \
        --home "$HOME_DIR" --nodes "$NODES" --knn "$([ "$KNN" = 1 ] && echo true || echo false)" \
        "$@" >"$out" 2>&1 </dev/null &
}

node_pid_file() { echo "$HOME_DIR/engine-node-$1.pid"; }

start_node() {  # $1 = classpath, $2 = node number: one node of the cluster in its own JVM
    rm -f "$HOME_DIR/engine-node-$2.url"
    launch "$1" "$HOME_DIR/engine-node-$2.out" --node "$2" --port "$PORT" \
        --url-file "$HOME_DIR/engine-node-$2.url"
    echo $! >"$(node_pid_file "$2")"
}

# Every node in its own JVM; ready when node 1 reports yellow health (a quorum of
# the processes has formed the cluster). Node 1's pid is the engine's pid.
up_processes() {
    local cp="$1" k waited=0 url
    for k in $(seq 1 "$NODES"); do
        start_node "$cp" "$k"
    done
    cp "$(node_pid_file 1)" "$PID_FILE"
    while :; do
        url="$(cat "$HOME_DIR/engine-node-1.url" 2>/dev/null || true)"
        if [ -n "$url" ] && healthy "$url"; then
            break
        fi
        for k in $(seq 1 "$NODES"); do
            if ! kill -0 "$(cat "$(node_pid_file "$k")")" 2>/dev/null; then
                OUT="$HOME_DIR/engine-node-$k.out" show_failure
                say "node $k exited before the cluster was ready (output: $HOME_DIR/engine-node-$k.out)"
                down
                return 1
            fi
        done
        if [ "$waited" -ge "$TIMEOUT" ]; then
            say "the $NODES-node cluster was not ready after ${TIMEOUT}s; stopping it"
            down
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    echo "$url" >"$URL_FILE"
    say "OpenSearch cluster of $NODES processes up in ${waited}s"
    echo "$url"
}

node_up() {  # $1 = node number
    local cp
    cp="$(prepare)" || return
    start_node "$cp" "$1"
    say "node $1 started again (pid $(cat "$(node_pid_file "$1")"))"
}

up() {
    if running && [ -s "$URL_FILE" ] && healthy "$(cat "$URL_FILE")"; then
        cat "$URL_FILE"
        return 0
    fi
    if running; then
        say "a previous engine (pid $(cat "$PID_FILE")) is not healthy: stopping it"
        down
    fi
    rm -f "$HOME_DIR/offline"
    local cp rc=0
    cp="$(prepare)" || rc=$?
    [ "$rc" = 0 ] || return "$rc"
    rm -f "$URL_FILE"
    if [ "$PROCESSES" = 1 ] && [ "$NODES" -gt 1 ]; then
        up_processes "$cp"
        return
    fi
    launch "$cp" "$OUT" --port "$PORT" --max-port "$MAX_PORT" --url-file "$URL_FILE"
    echo $! >"$PID_FILE"
    local waited=0
    while [ ! -s "$URL_FILE" ]; do
        if ! running; then
            show_failure
            say "OpenSearch exited before it was ready (full output: $OUT)"
            rm -f "$PID_FILE"
            return 1
        fi
        if [ "$waited" -ge "$TIMEOUT" ]; then
            show_failure
            say "OpenSearch not ready after ${TIMEOUT}s (full output: $OUT); stopping it"
            down
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    local url
    url="$(cat "$URL_FILE")"
    if ! healthy "$url"; then
        say "OpenSearch at $url does not report yellow or green health (output: $OUT)"
        down
        return 1
    fi
    grep -o 'engine: port .*' "$OUT" >&2 || true  # a busy port moved: say so
    say "OpenSearch up in ${waited}s"
    echo "$url"
}

down() {
    local pids=() f pid waited=0
    for f in "$PID_FILE" "$HOME_DIR"/engine-node-*.pid; do
        [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && pids+=("$(cat "$f")")
    done
    if [ "${#pids[@]}" = 0 ]; then
        rm -f "$PID_FILE" "$URL_FILE" "$HOME_DIR"/engine-node-*.pid
        return 0
    fi
    for pid in $(printf '%s\n' "${pids[@]}" | sort -u); do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $(printf '%s\n' "${pids[@]}" | sort -u); do
        while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt "$STOP_WAIT" ]; do
            sleep 1
            waited=$((waited + 1))
        done
        if kill -0 "$pid" 2>/dev/null; then
            say "pid $pid still running after ${STOP_WAIT}s: killing it"
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    rm -f "$PID_FILE" "$URL_FILE" "$HOME_DIR"/engine-node-*.pid
    say "stopped"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    node-up) node_up "${2:?node number}" ;;
    node-pid) cat "$(node_pid_file "${2:?node number}")" ;;
    url) running && [ -s "$URL_FILE" ] && cat "$URL_FILE" ;;
    status) if running && [ -s "$URL_FILE" ] && healthy "$(cat "$URL_FILE")"; then
                echo "running $(cat "$URL_FILE")"; else echo "not running"; exit 1; fi ;;
    *) echo "usage: $0 up|down|url|status|node-up K|node-pid K" >&2; exit 2 ;;
esac
