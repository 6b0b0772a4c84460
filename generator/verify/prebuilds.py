"""Native Node modules, compiled here once and then kept where prebuild-install looks first.

A package that installs with `prebuild-install || node-gyp rebuild` (better-sqlite3)
downloads its prebuilt binary from GitHub, which these machines cannot reach, so every
`npm install` would compile it from source again (about 90 s on two cores). After a
project's first install has compiled it, `seed()` packs the build as the very tarball
prebuild-install would have downloaded and puts it in the shared npm cache's
`_prebuilds/` folder, so every later install of that version unpacks it instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
from pathlib import Path

# Run inside the project, with its own prebuild-install, so the file name is exactly the
# one that prebuild-install will look for (it hashes the download URL).
_FIND = r"""
const fs = require("node:fs");
const path = require("node:path");
const util = require("prebuild-install/util");
const root = "node_modules";
const inScope = (scope) => fs.readdirSync(path.join(root, scope)).map((n) => path.join(scope, n));
const dirs = fs.readdirSync(root).flatMap((n) => (n.startsWith("@") ? inScope(n) : [n]));
for (const dir of dirs) {
  const manifest = path.join(root, dir, "package.json");
  if (!fs.existsSync(manifest)) continue;
  const pkg = JSON.parse(fs.readFileSync(manifest, "utf8"));
  if (!String(pkg.scripts?.install ?? "").startsWith("prebuild-install")) continue;
  const url = util.getDownloadUrl({ pkg, runtime: "node", abi: process.versions.modules,
    platform: process.platform, arch: process.arch, libc: "", "tag-prefix": "v" });
  console.log(JSON.stringify({ dir: path.join(root, dir), cached: util.cachedPrebuild(url) }));
}
"""


def seed(project: Path, env: dict[str, str]) -> list[Path]:
    """Cache the native builds of `project`'s node_modules; returns the tarballs written."""
    if not (project / "node_modules" / "prebuild-install").is_dir():
        return []
    found = subprocess.run(
        ["node", "-e", _FIND], cwd=project, env=env, capture_output=True, text=True, check=True
    )
    written = []
    for line in found.stdout.splitlines():
        entry = json.loads(line)
        package, cached = project / entry["dir"], Path(entry["cached"])
        binaries = sorted((package / "build" / "Release").glob("*.node"))
        if cached.exists() or not binaries:
            continue
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        with tarfile.open(partial, "w:gz") as tar:
            for binary in binaries:
                tar.add(binary, arcname=str(binary.relative_to(package)))
        partial.replace(cached)  # atomic: a concurrent install sees all of it or nothing
        written.append(cached)
    return written
