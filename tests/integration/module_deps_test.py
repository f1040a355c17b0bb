#!/usr/bin/env python3
"""Checks the module rules of docs/ARCHITECTURE.md on the source tree:

* siblings never include each other: a module includes only core/ and itself
  (config/ may also include other modules' plain options.h; daemon/ and newsctl/ wire
  modules together, and nothing includes them);
* each I/O or format library is included and linked by its one owning module.

Usage: module_deps_test.py SOURCE_DIR    (exit 1 with one line per violation)
"""
import os
import re
import sys

MODULES = ["core", "config", "fetchers", "parse", "dedup", "storage", "admin", "daemon",
           "newsctl"]

# header prefix -> the one module allowed to include it (fetchers/asio.h wraps Asio)
LIBRARY_HEADERS = {
    "curl/": "fetchers", "pugixml": "parse", "iconv.h": "parse", "rocksdb/": "storage",
    "toml++/": "config", "boost/asio": "fetchers", "utf8proc": "dedup",
    "systemd/": "daemon", "zstd.h": "storage",
}
# CMake target -> the one module allowed to link it
LIBRARY_TARGETS = {
    "CURL::libcurl": "fetchers", "pugixml::pugixml": "parse", "RocksDB::rocksdb": "storage",
    "tomlplusplus::tomlplusplus": "config", "PkgConfig::UTF8PROC": "dedup",
    "PkgConfig::SYSTEMD": "daemon", "PkgConfig::ZSTD": "storage",
}

# header prefix -> the modules allowed to include it (utility libraries with a narrower rule:
# no logging in the pure parse/ and dedup/, command lines only in the two binaries)
RESTRICTED_HEADERS = {
    "spdlog/": ("core", "config", "fetchers", "storage", "admin", "daemon", "newsctl"),
    "CLI/": ("daemon", "newsctl"),
}
RESTRICTED_TARGETS = {
    "spdlog::spdlog": RESTRICTED_HEADERS["spdlog/"],
    "CLI11::CLI11": RESTRICTED_HEADERS["CLI/"],
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def allowed_project_include(module, path):
    target = path.split("/", 1)[0]
    if target not in MODULES or target in ("core", module):
        return True
    if target in ("daemon", "newsctl"):
        return False  # nothing includes the binaries
    if module in ("daemon", "newsctl"):
        return True  # the binaries wire modules together
    return module == "config" and path.endswith("/options.h")


def check(root):
    errors = []
    for module in MODULES:
        for dirpath, _, files in os.walk(os.path.join(root, module)):
            for name in files:
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root)
                if name == "CMakeLists.txt":
                    text = open(full, encoding="utf-8").read()
                    for target, owner in LIBRARY_TARGETS.items():
                        if target in text and owner != module:
                            errors.append(f"{rel}: links {target}, which only {owner}/ may use")
                    for target, users in RESTRICTED_TARGETS.items():
                        if target in text and module not in users:
                            errors.append(f"{rel}: links {target}, which {module}/ may not use")
                    continue
                if not name.endswith((".h", ".cc", ".inc")):
                    continue
                text = open(full, encoding="utf-8", errors="replace").read()
                for kind, path in INCLUDE.findall(text):
                    if kind == '"' and not allowed_project_include(module, path):
                        errors.append(f"{rel}: includes \"{path}\" (a sibling module)")
                    for prefix, users in RESTRICTED_HEADERS.items():
                        if kind == "<" and path.startswith(prefix) and module not in users:
                            errors.append(f"{rel}: includes <{path}>, which {module}/ may not use")
                    for prefix, owner in LIBRARY_HEADERS.items():
                        if kind == "<" and path.startswith(prefix) and owner != module:
                            errors.append(f"{rel}: includes <{path}>, which only {owner}/ may use")
                        if (prefix == "boost/asio" and kind == "<" and path.startswith(prefix)
                                and rel != os.path.join("fetchers", "asio.h")):
                            errors.append(f"{rel}: includes <{path}>: use \"fetchers/asio.h\"")
    return errors


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    errors = sorted(set(check(root)))
    for e in errors:
        print(e)
    print(f"module boundaries: {len(errors)} violation(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
