"""The native-build cache: a compiled module packed as the tarball prebuild-install expects."""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path

from generator.verify import prebuilds

# A stand-in for prebuild-install's util.js with the two functions seed() calls, so the
# test sees which package and cache path seed() used; the real one hashes the URL.
FAKE_UTIL = """
exports.getDownloadUrl = (o) => `https://example.test/${o.pkg.name}-v${o.pkg.version}-node-v${o.abi}.tar.gz`;
exports.cachedPrebuild = (url) => require("node:path").join(process.env.npm_config_cache,
  "_prebuilds", url.split("/").pop());
"""


def package(root: Path, name: str, install: str, binaries: list[str]) -> None:
    folder = root / "node_modules" / name
    (folder / "build" / "Release").mkdir(parents=True)
    manifest = {"name": name, "version": "1.2.3", "scripts": {"install": install}}
    (folder / "package.json").write_text(json.dumps(manifest))
    for binary in binaries:
        (folder / "build" / "Release" / binary).write_bytes(b"\x7fELF")


def test_seed_packs_compiled_modules_once(tmp_path: Path) -> None:
    project, cache = tmp_path / "project", tmp_path / "cache"
    util = project / "node_modules" / "prebuild-install" / "util.js"
    util.parent.mkdir(parents=True)
    util.write_text(FAKE_UTIL)
    package(project, "native", "prebuild-install || node-gyp rebuild --release", ["native.node"])
    package(project, "@scope/other", "prebuild-install", ["other.node"])
    package(project, "plain", "node install.js", ["plain.node"])
    package(project, "unbuilt", "prebuild-install || node-gyp rebuild", [])
    env = {**os.environ, "npm_config_cache": str(cache)}

    written = prebuilds.seed(project, env)

    # The two prebuild-install packages with a build; not the plain script, not the unbuilt one.
    assert sorted(p.name.split("-v")[0] for p in written) == ["native", "other"]
    assert sorted(written) == sorted((cache / "_prebuilds").iterdir())
    native = next(p for p in written if p.name.startswith("native-"))
    with tarfile.open(native) as tar:
        assert tar.getnames() == ["build/Release/native.node"]
    # Already cached: nothing is packed again.
    assert prebuilds.seed(project, env) == []


def test_seed_needs_prebuild_install(tmp_path: Path) -> None:
    assert prebuilds.seed(tmp_path, dict(os.environ)) == []
