# Baton: the output of a step's Python. Python writes stdout in blocks into a pipe, which is fast; Baton flushes
# stdout and stderr every 0.1 s from a thread of this process, so that the step's logs and metrics still reach the
# server while it runs. PYTHONUNBUFFERED=1 in the step's env turns this off (every print is then a write: a step
# printing a hundred thousand lines runs about twice as long). This file is loaded through PYTHONPATH, before any
# code of the step, and then loads any other sitecustomize the interpreter has.
import os
import sys

_BATON_FLUSH_SECONDS = 0.1


class _BatonFlusher(object):
    """Flushes stdout and stderr periodically. Never while the process forks (a child would inherit a held lock)
    and never after the interpreter began to exit (it flushes its files itself then)."""

    def __init__(self, period):
        import _thread
        self._thread = _thread
        self.period = period
        self.start()

    def start(self):
        self.stop = self._thread.allocate_lock()
        self.stop.acquire()
        self.busy = self._thread.allocate_lock()
        self._thread.start_new_thread(self.run, (self.stop, self.busy))

    def run(self, stop, busy):
        while not stop.acquire(True, self.period):
            with busy:
                self.flush()

    @staticmethod
    def flush():
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:
                    stream.flush()
            except Exception:
                pass

    def before_fork(self):
        self.busy.acquire()
        self.flush()  # or the child would write the parent's pending output a second time

    def after_fork_in_parent(self):
        self.busy.release()

    def after_fork_in_child(self):
        self.start()  # the flusher thread does not live on in the child

    def at_exit(self):
        self.stop.release()
        self.busy.acquire()


def _baton_flush_output():
    if os.environ.get("PYTHONUNBUFFERED") or not hasattr(os, "register_at_fork"):
        return  # unbuffered already, or a Python older than 3.7
    import atexit
    flusher = _BatonFlusher(_BATON_FLUSH_SECONDS)
    atexit.register(flusher.at_exit)
    os.register_at_fork(before=flusher.before_fork, after_in_parent=flusher.after_fork_in_parent,
                        after_in_child=flusher.after_fork_in_child)
    # os._exit skips the interpreter's own flush: a step that ends with it (to skip slow clean-ups, as some training
    # scripts do) would lose its last lines, its final metrics among them
    real_exit = os._exit

    def _exit(status):
        _BatonFlusher.flush()
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
