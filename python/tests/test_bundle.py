"""Packing a folder as the CLI does: what is always skipped, .gitignore and .batonignore beneath their folder, and
archives that are the same for the same folder."""
import gzip
import io
import os
import tarfile

from baton import bundle


def tree(root, *paths):
    for path in paths:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path)


def test_caches_and_vcs_folders_are_always_skipped(tmp_path):
    tree(tmp_path, "train.py", ".git/HEAD", "pkg/__pycache__/m.cpython-311.pyc", "pkg/m.py", "pkg/old.pyc",
         ".venv/bin/python", "venv/x", "web/node_modules/a.js", ".ipynb_checkpoints/n.ipynb", ".hg/x", ".svn/x")
    assert bundle.files(tmp_path) == ["pkg/m.py", "train.py"]


def test_gitignore_rules_apply_beneath_their_folder(tmp_path):
    tree(tmp_path, "a.log", "keep.log", "data/big.bin", "data/small.txt", "src/build/out.o", "build/x",
         "src/nested/a.log", "src/nested/b.tmp", "src/b.tmp", "docs/data/x.md", "notes.md")
    (tmp_path / ".gitignore").write_text("# logs\n*.log\n!keep.log\n\n/build/\ndata/*.bin\n**/nested/*.tmp\n")
    (tmp_path / "src" / ".gitignore").write_text("build\n/b.tmp\n")
    assert bundle.files(tmp_path) == [".gitignore", "data/small.txt", "docs/data/x.md", "keep.log", "notes.md",
                                      "src/.gitignore"]


def test_a_trailing_slash_means_folders_only_and_a_slash_anchors(tmp_path):
    tree(tmp_path, "out", "sub/out/x", "sub/top.txt", "top.txt")
    (tmp_path / ".gitignore").write_text("out/\n/top.txt\n")
    assert bundle.files(tmp_path) == [".gitignore", "out", "sub/top.txt"]


def test_batonignore_is_read_after_gitignore_and_can_re_include(tmp_path):
    tree(tmp_path, "model.pkl", "weights.pkl", "train.py", "cache/a")
    (tmp_path / ".gitignore").write_text("*.pkl\n")
    (tmp_path / ".batonignore").write_text("!model.pkl\ncache/\n[tT]rain.p?\n")
    assert bundle.files(tmp_path) == [".batonignore", ".gitignore", "model.pkl"]


def test_files_of_an_ignored_folder_cannot_be_re_included(tmp_path):
    tree(tmp_path, "build/keep.txt", "x.txt")
    (tmp_path / ".gitignore").write_text("build/\n!build/keep.txt\n")
    assert bundle.files(tmp_path) == [".gitignore", "x.txt"]


def test_double_stars_match_any_depth(tmp_path):
    tree(tmp_path, "a/b/c/logs/x", "logs/y", "a/out/z.txt", "a/b/out/z.txt", "a/keep.txt")
    (tmp_path / ".gitignore").write_text("**/logs\na/**/z.txt\n")
    assert bundle.files(tmp_path) == [".gitignore", "a/keep.txt"]


def test_the_archive_is_the_same_for_the_same_folder_and_keeps_links_and_modes(tmp_path):
    tree(tmp_path, "run.sh", "lib/m.py")
    os.chmod(tmp_path / "run.sh", 0o700)
    os.symlink("lib/m.py", tmp_path / "link.py")
    first = bundle.pack(tmp_path)
    os.utime(tmp_path / "lib" / "m.py", (1, 1))

    assert bundle.pack(tmp_path) == first
    assert gzip.decompress(first) and first[4:8] == b"\0\0\0\0"  # the gzip header's mtime
    with tarfile.open(fileobj=io.BytesIO(first)) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert sorted(members) == ["lib/m.py", "link.py", "run.sh"]
    assert members["link.py"].issym() and members["link.py"].linkname == "lib/m.py"
    assert (members["run.sh"].mode, members["lib/m.py"].mode, members["run.sh"].mtime) == (0o755, 0o644, 0)
