"""Execute one parameterised notebook with papermill on this interpreter's kernel."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from utvardering.errors import ReportError, describe_os_error
from utvardering.kernel import kernel_manager_class, kernel_name

__all__ = ["ENGINE", "SAVE_EVERY", "execute_notebook", "run_papermill"]

# papermill's engine for our runs: nbclient's, saving the running notebook less often.
ENGINE = "utvardering"
# papermill writes the whole output notebook (figures and all, validated) before and after
# every cell; here it is written when the notebook starts (so a running job's file exists),
# then at most once per SAVE_EVERY seconds, and when it ends, also after an error or a
# timeout (with the cells that ran).
SAVE_EVERY = 10.0


def _register_engine() -> None:
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    if ENGINE in papermill_engines._engines:
        return

    class Manager(NotebookExecutionManager):
        _saved_at: float | None = None
        _final = False

        def save(self, **kwargs):
            now = time.monotonic()
            if self._final or self._saved_at is None or now - self._saved_at >= SAVE_EVERY:
                super().save(**kwargs)
                self._saved_at = now

        def notebook_complete(self, **kwargs):
            self._final = True
            return super().notebook_complete(**kwargs)

    class Engine(NBClientEngine):
        # papermill's Engine.execute_notebook, with the manager above
        @classmethod
        def execute_notebook(
            cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
            autosave_cell_every=30, **kwargs,
        ):  # fmt: skip
            manager = Manager(
                nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )  # fmt: skip
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(ENGINE, Engine)


def run_papermill(
    notebook: Path | str,
    output: Path | str,
    parameters: dict[str, Any] | None = None,
    *,
    timeout: float | None = 600,
    cwd: Path | str | None = None,
    kernel_log: Path | None = None,
    kernel=None,
) -> None:
    """papermill with this package's kernel settings (the interpreter's own kernel spec, Unix
    sockets, a per-cell timeout); papermill's errors pass through unchanged. ``kernel`` is an
    already started kernel manager to run on (see :class:`utvardering.kernel.KernelStarter`)."""
    # imported here, where kernels start, so that the command line starts without papermill
    import papermill

    extra = {"km": kernel} if kernel is not None else {}
    _register_engine()
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters or {},
        kernel_name=kernel_name(),
        kernel_manager_class=kernel_manager_class(log=kernel_log),
        language="python",
        execution_timeout=timeout,
        cwd=str(cwd) if cwd is not None else None,
        progress_bar=False,
        engine_name=ENGINE,
        **extra,
    )


def execute_notebook(
    notebook: Path | str,
    output: Path | str,
    parameters: dict[str, Any] | None = None,
    *,
    timeout: float | None = 600,
    cwd: Path | str | None = None,
) -> Path:
    """Run ``notebook`` with ``parameters`` and write the executed copy to ``output``.

    Raises ReportError (with papermill's error as its cause) if a cell fails; the executed
    notebook with the error cell is written all the same. Raises ReportError if the output's
    folder cannot be made.
    """
    from papermill import PapermillExecutionError  # see run_papermill

    output = Path(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"Kunde inte skriva {output}: {describe_os_error(exc)}.") from exc
    try:
        run_papermill(notebook, output, parameters, timeout=timeout, cwd=cwd)
    except PapermillExecutionError as exc:
        raise ReportError(
            f"Notebooken {Path(notebook).name} misslyckades i cell {exc.exec_count}: "
            f"{exc.ename}: {exc.evalue}"
        ) from exc
    return output
