"""Compiles ``kg/search/_level.c`` (one breadth-first level of the reach search) when hatchling builds a wheel.

The wheel (and an editable install, ``pip install -e .``) gets the extension module ``kg.search._level``; the
module records the SHA-256 of the sources it was compiled from (``_level.c`` and the ``_level_*.h`` it includes),
so :mod:`kg.search.native` can tell a stale build from a current one. Needs a C compiler and Python's headers
(``gcc`` and ``python3-dev`` on Debian).
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("kg") / "search" / "_level.c"


def source_digest(folder: Path) -> str:
    """The SHA-256 of the level's sources in ``folder``, in name order (kg.search.native checks the same)."""
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("_level.c"), *folder.glob("_level_*.h")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def compile_level(root: Path) -> Path:
    """Compile the level module into the source tree, beside its source; returns the module's path."""
    source = root / SOURCE
    target = source.with_name("_level" + str(sysconfig.get_config_var("EXT_SUFFIX")))
    digest = source_digest(source.parent)
    cc = shlex.split(os.environ.get("CC") or str(sysconfig.get_config_var("CC") or "cc"))
    include = sysconfig.get_paths()["include"]
    command = [*cc, "-O2", "-pthread", "-shared", "-fPIC", "-Wall", f"-I{include}"]
    if sys.platform == "darwin":  # Python's symbols are resolved when the interpreter loads the module
        command += ["-undefined", "dynamic_lookup"]
    command += [f'-DLEVEL_SOURCE_SHA256="{digest}"', str(source), "-o", str(target)]
    subprocess.run(command, check=True)  # noqa: S603 (the compiler Python was built with, on the package's own file)
    return target


class LevelBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Builds ``kg.search._level`` for the wheel target (platform-specific from then on)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile the module; a wheel carries it, an editable install finds it in the source tree."""
        if self.target_name != "wheel":
            return
        target = compile_level(Path(self.root))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":  # an editable install imports it from the source tree
            build_data["force_include"][str(target)] = f"kg/search/{target.name}"
