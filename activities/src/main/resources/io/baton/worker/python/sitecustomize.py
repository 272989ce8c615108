# Baton: the output of a step's Python. Python writes stdout in blocks into a pipe, which is fast; Baton flushes
# stdout and stderr every 0.1 s from a thread of this process (Python's streams, and from the first tick on the C
# library's stdout too), so that the step's logs and metrics still reach the server while it runs.
# PYTHONUNBUFFERED=1 in the step's env turns this off (every print is then a write: a step printing a hundred
# thousand lines runs about twice as long). A child made by fork or by multiprocessing writes line by line: its
# parent may end it with a signal as soon as it has its results (Pool.terminate), before a flush would have come.
# This file is loaded through PYTHONPATH, before any code of the step, and then loads any other sitecustomize.
import os
import sys

_BATON_FLUSH_SECONDS = 0.1


def _baton_flush_python():
    done = []
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):  # the real ones too, under a wrapper
        if stream is not None and not any(stream is d for d in done):
            done.append(stream)
            try:
                stream.flush()
            except Exception:
                pass


def _baton_line_buffered():
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except Exception:
        pass


class _BatonFlusher(object):
    """Flushes stdout and stderr periodically. Never while the process forks (a child would inherit a held lock)
    and never after the interpreter began to exit (it flushes its files itself then)."""

    def __init__(self, period):
        import _thread
        self._thread = _thread
        self.period = period
        self.c_stdout = None  # the C library's fflush and stdout, loaded by the first tick (ctypes takes 5 ms)
        self.start()

    def start(self):
        self.stop = self._thread.allocate_lock()
        self.stop.acquire()
        self.busy = self._thread.allocate_lock()
        self._thread.start_new_thread(self.run, (self.stop, self.busy))

    def run(self, stop, busy):
        while not stop.acquire(True, self.period):
            with busy:
                _baton_flush_python()
                self.flush_c(True)

    def flush_c(self, load):
        """Output that C code printed (extensions, libraries): C's stdout is block-buffered into a pipe too."""
        if self.c_stdout is None and load:
            try:
                import ctypes
                libc = ctypes.CDLL(None)
                self.c_stdout = (libc.fflush, ctypes.c_void_p.in_dll(libc, "stdout"))
            except Exception:
                self.c_stdout = False
        if self.c_stdout:
            try:
                self.c_stdout[0](self.c_stdout[1])
            except Exception:
                pass

    def before_fork(self):
        self.busy.acquire()
        # or the child would write the parent's pending output a second time
        _baton_flush_python()
        self.flush_c(False)

    def after_fork_in_parent(self):
        self.busy.release()

    def after_fork_in_child(self):
        _baton_line_buffered()
        self.start()  # the flusher thread does not live on in the child

    def at_exit(self):
        self.stop.release()
        self.busy.acquire()

    def before_os_exit(self):
        # os._exit skips the interpreter's own flush and the C library's: a step that ends with it (to skip slow
        # clean-ups, as some training scripts do) would lose its last lines, its final metrics among them
        _baton_flush_python()
        self.flush_c(True)


def _baton_flush_output():
    if os.environ.get("PYTHONUNBUFFERED"):
        return
    if not hasattr(os, "register_at_fork"):
        # a Python older than 3.7: no flushing across forks that would be safe; lines go out as they are printed
        try:
            if sys.version_info[0] >= 3:
                import io
                sys.stdout = sys.__stdout__ = io.TextIOWrapper(sys.stdout.detach(), encoding=sys.stdout.encoding,
                                                               errors=sys.stdout.errors, line_buffering=True)
            else:
                sys.stdout = sys.__stdout__ = os.fdopen(sys.stdout.fileno(), "w", 0)
        except Exception:
            pass
        return
    if "--multiprocessing-fork" in sys.argv:
        _baton_line_buffered()  # a multiprocessing child started by spawn
    import atexit
    flusher = _BatonFlusher(_BATON_FLUSH_SECONDS)
    atexit.register(flusher.at_exit)
    os.register_at_fork(before=flusher.before_fork, after_in_parent=flusher.after_fork_in_parent,
                        after_in_child=flusher.after_fork_in_child)
    real_exit = os._exit

    def _exit(status):
        flusher.before_os_exit()
        real_exit(status)

    _exit.__doc__ = real_exit.__doc__
    os._exit = _exit


def _baton_next_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    path = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != here]
    # a look for the usual forms first: the import system's full search costs a few milliseconds at every start
    if not any(os.path.isfile(os.path.join(entry or os.curdir, name)) for entry in path
               for name in ("sitecustomize.py", "sitecustomize.pyc", os.path.join("sitecustomize", "__init__.py"))):
        return
    import importlib.machinery
    import importlib.util
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None:
        module = importlib.util.module_from_spec(spec)
        sys.modules["sitecustomize"] = module
        spec.loader.exec_module(module)


try:
    _baton_flush_output()
except Exception:
    pass
_baton_next_sitecustomize()
