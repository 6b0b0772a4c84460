"""A real OpenSearch node for the harness, assembled from Maven Central.

OpenSearch has no Debian package, but its jars are on Maven Central: `assemble` lays a
single node out from them once (with Maven), and `start` runs it as its own user, since
OpenSearch refuses to run as root. The one piece Maven Central lacks, the class loader
that lets a plugin see the plugins it extends, is a few lines written here and compiled
at assembly time; the verification report says so.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

# services._run: runs a command (no shell), returns what it printed; raises on failure
# unless given check=False.
Run = Callable[..., str]

HOST = "127.0.0.1"
OPENSEARCH_VERSION = "2.19.6"
OPENSEARCH_PORT = 9200
OPENSEARCH_USER = "opensearch"
OPENSEARCH_HOME = Path("/var/cache/backendgen/opensearch") / OPENSEARCH_VERSION
OPENSEARCH_DATA = Path("/var/lib/backendgen/opensearch")
DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(os.uname().machine, os.uname().machine)
# OpenSearch 2.x needs Java's security manager, which Java 24+ dropped: pin Debian's 17.
JAVA_HOME = Path(f"/usr/lib/jvm/java-17-openjdk-{DEB_ARCH}")

# A node needs its core jars (lib/), the HTTP transport as a module (modules/), a config
# directory and a small class the build ships but Maven Central does not: the loader that
# lets a plugin see the plugins it extends. Written here, it is compiled at assembly time.
_PLUGIN_LOADER_JAVA = """\
package org.opensearch.plugins;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.List;

/** Looks in the parent first, then in each plugin that the plugin extends. */
public final class ExtendedPluginsClassLoader extends ClassLoader {
    private final List<ClassLoader> extended;

    private ExtendedPluginsClassLoader(ClassLoader parent, List<ClassLoader> extended) {
        super(parent);
        this.extended = List.copyOf(extended);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader loader : extended) {
            try {
                return loader.loadClass(name);
            } catch (ClassNotFoundException notThere) {
                // look in the next one
            }
        }
        throw new ClassNotFoundException(name);
    }

    public static ExtendedPluginsClassLoader create(ClassLoader parent, List<ClassLoader> ext) {
        PrivilegedAction<ExtendedPluginsClassLoader> make =
            () -> new ExtendedPluginsClassLoader(parent, ext);
        return AccessController.doPrivileged(make);
    }
}
"""
_NETTY_DESCRIPTOR = f"""\
description=The HTTP and transport layers, on Netty 4
version={OPENSEARCH_VERSION}
name=transport-netty4
classname=org.opensearch.transport.Netty4Plugin
java.version=11
opensearch.version={OPENSEARCH_VERSION}
extended.plugins=
has.native.controller=false
"""
# What Netty needs under the security manager: open and accept sockets, read the backlog
# size, name its threads' class loader, and set the property that works around a JDK bug.
_NETTY_POLICY = """\
grant codeBase "${codebase.netty-common}" {
  permission java.io.FilePermission "/proc/sys/net/core/somaxconn", "read";
  permission java.net.SocketPermission "*", "accept,connect,resolve";
  permission java.lang.RuntimePermission "*", "setContextClassLoader";
};
grant codeBase "${codebase.netty-transport}" {
  permission java.util.PropertyPermission "sun.nio.ch.bugLevel", "write";
};
"""
_OPENSEARCH_YML = f"""\
cluster.name: backendgen
node.name: backendgen-verify
discovery.type: single-node
network.host: {HOST}
http.port: {OPENSEARCH_PORT}
path.data: {OPENSEARCH_DATA / "data"}
path.logs: {OPENSEARCH_DATA / "logs"}
# A nearly full disk must not turn the test indices read-only.
cluster.routing.allocation.disk.threshold_enabled: false
"""
_LOG4J2_PROPERTIES = """\
status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%c{1.}] %m%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
"""


def _maven_jars(run: Run, coordinates: Sequence[str], into: Path, work: Path) -> None:
    """Copy `group:artifact:version` jars and their runtime dependencies into `into`."""
    dependencies = "".join(
        "<dependency><groupId>{}</groupId><artifactId>{}</artifactId>"
        "<version>{}</version></dependency>".format(*coordinate.split(":"))
        for coordinate in coordinates
    )
    pom = work / f"{into.name}-pom.xml"
    pom.write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
        f"<groupId>backendgen</groupId><artifactId>fetch-{into.name}</artifactId>"
        "<version>1</version><packaging>pom</packaging>"
        f"<dependencies>{dependencies}</dependencies></project>"
    )
    mvn = ["env", f"JAVA_HOME={JAVA_HOME}", "mvn", "-B", "-q", "-f", str(pom)]
    copy = ["dependency:copy-dependencies", f"-DoutputDirectory={into}", "-DincludeScope=runtime"]
    run([*mvn, *copy], timeout=900)


def assemble(run: Run) -> None:
    """Lay out an OpenSearch node under OPENSEARCH_HOME from Maven Central (once, atomically)."""
    version = OPENSEARCH_VERSION
    partial = OPENSEARCH_HOME.with_name(f"{version}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    work, lib, netty = partial / "build", partial / "lib", partial / "modules" / "transport-netty4"
    for directory in (work, lib, netty, partial / "plugins", partial / "config", partial / "bin"):
        directory.mkdir(parents=True)
    _maven_jars(run, [f"org.opensearch:opensearch:{version}"], lib, work)
    # The core's POM leaves out log4j-core; take the one that matches its log4j-api.
    log4j_api = next(lib.glob("log4j-api-*.jar")).name
    _maven_jars(run, [f"org.apache.logging.log4j:log4j-core:{log4j_api[10:-4]}"], lib, work)
    _maven_jars(run, [f"org.opensearch.plugin:transport-netty4-client:{version}"], netty, work)
    for jar in netty.glob("*.jar"):  # a jar on both class paths is "jar hell" at startup
        if (lib / jar.name).exists():
            jar.unlink()
    source = work / "org" / "opensearch" / "plugins" / "ExtendedPluginsClassLoader.java"
    source.parent.mkdir(parents=True)
    source.write_text(_PLUGIN_LOADER_JAVA)
    javac = [str(JAVA_HOME / "bin" / "javac"), "--release", "11", "-nowarn"]
    run([*javac, "-d", str(work / "classes"), str(source)])
    # Named like the real jar: the core security policy grants it by that name.
    loader_jar = lib / f"opensearch-plugin-classloader-{version}.jar"
    run([str(JAVA_HOME / "bin" / "jar"), "cf", str(loader_jar), "-C", str(work / "classes"), "."])
    (netty / "plugin-descriptor.properties").write_text(_NETTY_DESCRIPTOR)
    (netty / "plugin-security.policy").write_text(_NETTY_POLICY)
    (partial / "config" / "opensearch.yml").write_text(_OPENSEARCH_YML)
    (partial / "config" / "log4j2.properties").write_text(_LOG4J2_PROPERTIES)
    shutil.rmtree(work)
    partial.rename(OPENSEARCH_HOME)


def start(run: Run, log_file: str) -> str:
    """Assemble the node if needed, then run it in the background as its own user (not root)."""
    if not (OPENSEARCH_HOME / "config" / "opensearch.yml").is_file():
        assemble(run)
    if not run(["id", "-u", OPENSEARCH_USER], check=False).isdigit():
        system_user = ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent"]
        run(["useradd", *system_user, "--shell", "/usr/sbin/nologin", OPENSEARCH_USER])
    for directory in ("data", "logs", "tmp"):
        (OPENSEARCH_DATA / directory).mkdir(parents=True, exist_ok=True)
        shutil.chown(OPENSEARCH_DATA / directory, OPENSEARCH_USER, OPENSEARCH_USER)
    shutil.chown(OPENSEARCH_HOME / "config", OPENSEARCH_USER, OPENSEARCH_USER)  # its keystore
    Path(log_file).parent.mkdir(parents=True, exist_ok=True)
    java = [
        "-Xms512m",
        "-Xmx512m",
        f"-Djava.io.tmpdir={OPENSEARCH_DATA / 'tmp'}",
        "-Dfile.encoding=UTF-8",
        "-Djava.awt.headless=true",
        "-Djna.nosys=true",
        # As the distribution's launcher sets them: under the security manager, log4j's own
        # shutdown hook would race OpenSearch's (and SIGTERM would hang), and Netty must not
        # reach for sun.misc.Unsafe.
        "-Dlog4j.shutdownHookEnabled=false",
        "-Dlog4j2.disable.jmx=true",
        "-Dio.netty.noUnsafe=true",
        "-Dio.netty.noKeySetOptimization=true",
        "-Dio.netty.recycler.maxCapacityPerThread=0",
        f"-Dopensearch.path.home={OPENSEARCH_HOME}",
        f"-Dopensearch.path.conf={OPENSEARCH_HOME / 'config'}",
        "-Dopensearch.distribution.type=tar",
        "-Dopensearch.bundled_jdk=false",
        "-cp",
        f"{OPENSEARCH_HOME / 'lib'}/*",
        "org.opensearch.bootstrap.OpenSearch",
    ]
    daemon = ["start-stop-daemon", "--start", "--background", "--chuid", OPENSEARCH_USER]
    options = ["--make-pidfile", "--pidfile", "/run/backendgen-opensearch.pid"]
    output = ["--chdir", str(OPENSEARCH_HOME), "--output", log_file]
    startas = ["--startas", str(JAVA_HOME / "bin" / "java")]
    return run([*daemon, *options, *output, *startas, "--", *java], check=False)
