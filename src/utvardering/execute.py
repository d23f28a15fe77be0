"""Execute one parameterised notebook with papermill on this interpreter's kernel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from utvardering.errors import ReportError, describe_os_error
from utvardering.kernel import kernel_manager_class, kernel_name

__all__ = ["execute_notebook", "run_papermill"]


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
