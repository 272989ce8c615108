"""Packs a folder into a code bundle (tar.gz) as the ``baton`` CLI does: caches and VCS folders skipped, then
``.gitignore`` and ``.batonignore`` (gitignore syntax) in the folder and its sub-folders applied beneath them."""
import gzip
import io
import os
import re
import stat
import tarfile

#: Always skipped, at any depth: folders (and files) of these names, and compiled Python.
SKIPPED_NAMES = frozenset((".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "node_modules",
                           ".ipynb_checkpoints"))
IGNORE_FILES = (".gitignore", ".batonignore")


def _glob_regex(pattern):
    """A gitignore glob (``*``, ``?``, ``[...]``, ``**``) as a regular expression over a ``/``-separated path."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**", i) and (i == 0 or pattern[i - 1] == "/") and (i + 2 == n or pattern[i + 2] == "/"):
            if i + 2 == n:
                out.append(".*")  # a trailing /** : everything inside
                i += 2
            else:
                out.append("(?:.*/)?")  # **/ : any folders, none included
                i += 3
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1:i + 2] in ("!", "^") else i + 1)
            if end < 0:
                out.append(re.escape(c))
                i += 1
                continue
            body = pattern[i + 1:end]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


class Rule:
    """One line of an ignore file: a compiled pattern, whether it re-includes (``!``) and applies to folders only."""

    def __init__(self, line):
        self.negated = line.startswith("!")
        if self.negated:
            line = line[1:]
        elif line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        self.folders_only = line.endswith("/")
        line = line.rstrip("/")
        anchored = "/" in line
        line = line.lstrip("/")
        regex = _glob_regex(line)
        self.regex = re.compile(("" if anchored else "(?:.*/)?") + regex + r"\Z", re.DOTALL)

    def matches(self, relative, is_folder):
        return (is_folder or not self.folders_only) and self.regex.match(relative) is not None


def parse_rules(text):
    """The rules of an ignore file's text: blank lines and ``#`` comments skipped, trailing spaces dropped."""
    rules = []
    for line in text.splitlines():
        line = line.rstrip("\r")
        if line.endswith("\\ "):
            line = line.rstrip(" ") + " "
        else:
            line = line.rstrip(" \t")
        if not line or line.startswith("#"):
            continue
        if line in ("!", "/"):
            continue
        rules.append(Rule(line))
    return rules


def _ignored(levels, relative, is_folder):
    """Whether ``relative`` (to the bundle's root) is ignored by the rules of the folders above it: the last rule
    that matches decides; ``levels`` holds (folder prefix, rules) from the root down."""
    ignored = False
    for prefix, rules in levels:
        if prefix and not relative.startswith(prefix):
            continue
        below = relative[len(prefix):]
        for rule in rules:
            if rule.matches(below, is_folder):
                ignored = not rule.negated
    return ignored


def files(root):
    """The paths, relative to ``root`` with ``/``, of what a bundle of ``root`` holds (regular files and symbolic
    links), sorted. A folder that is ignored is not looked into, as in git."""
    root = os.fspath(root)
    if not os.path.isdir(root):
        raise NotADirectoryError("{} is not a folder".format(root))
    found = []

    def walk(folder, prefix, levels):
        rules = []
        for name in IGNORE_FILES:
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                with open(path, encoding="utf-8", errors="replace") as f:
                    rules.extend(parse_rules(f.read()))
        if rules:
            levels = levels + [(prefix, rules)]
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                relative = prefix + entry.name
                is_folder = entry.is_dir(follow_symlinks=False)
                if entry.name in SKIPPED_NAMES or (not is_folder and entry.name.endswith(".pyc")):
                    continue
                if _ignored(levels, relative, is_folder):
                    continue
                if is_folder:
                    walk(entry.path, relative + "/", levels)
                elif entry.is_symlink() or entry.is_file(follow_symlinks=False):
                    found.append(relative)

    walk(root, "", [])
    return sorted(found)


def pack(root, out=None):
    """Packs ``root`` into a tar.gz (mtime 0, owner 0, modes 644/755, sorted), written to the binary file ``out``
    or returned as bytes when ``out`` is None."""
    buffer = io.BytesIO() if out is None else out
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for relative in files(root):
                path = os.path.join(os.fspath(root), *relative.split("/"))
                info = tarfile.TarInfo(relative)
                info.mtime = 0
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    info.type = tarfile.SYMTYPE
                    info.linkname = os.readlink(path)
                    info.mode = 0o777
                    tar.addfile(info)
                else:
                    info.size = st.st_size
                    info.mode = 0o755 if st.st_mode & 0o111 else 0o644
                    with open(path, "rb") as f:
                        tar.addfile(info, f)
    return buffer.getvalue() if out is None else None
