"""Extraction on a Dask distributed cluster (optional extra ``initiative-kg[dask]``).

The unit of work is the same as for local worker processes,
:func:`kg.schedule.extract_task` (a whole document, or a chunk of the segments
of a large one), scheduled through :func:`kg.schedule.extract_ordered`, so the
graph is identical to a single-process build. Each Dask worker thread builds
its own pipeline on first use and keeps it.

``kg build --dask local`` starts a :class:`distributed.LocalCluster` for the
duration of the build; ``kg build --dask tcp://host:8786`` uses a running
scheduler, whose workers need this package installed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator

from kg.errors import KGError
from kg.extract import DocumentExtraction
from kg.model import Document
from kg.schedule import extract_ordered


class DistributedError(KGError):
    """Dask is not installed, or its scheduler cannot be reached."""

    code = "E600"
    exit_code = 7


def _client(address: str, **cluster_options) -> contextlib.AbstractContextManager:
    """A client of the scheduler at ``address``, or of a new local cluster for ``"local"``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the environment
        raise DistributedError(
            'Dask is not installed; install the extra: pip install "initiative-kg[dask]"'
        ) from None
    if address != "local":
        try:
            return Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise DistributedError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    stack = contextlib.ExitStack()
    options = {"processes": True, "dashboard_address": None, **cluster_options}
    cluster = stack.enter_context(LocalCluster(**options))
    client = stack.enter_context(Client(cluster))

    @contextlib.contextmanager
    def both():
        with stack:
            yield client

    return both()


def _submit(client) -> Callable:
    def submit(fn, *args):
        # pure=False: a document is not worth hashing to deduplicate tasks
        return client.submit(fn, *args, pure=False)

    return submit


def dask_extract(
    documents: Iterable[Document],
    address: str,
    *,
    cache=None,
    on_done: Callable[[Document], None] | None = None,
    client=None,
    places_dir: str | None = None,
    **cluster_options,
) -> Iterator[DocumentExtraction]:
    """Extract documents on a Dask cluster, in input order.

    Args:
        documents: Documents to process (streamed).
        address: Scheduler address (``tcp://host:8786``) or ``"local"``.
        cache: Optional :class:`kg.cache.ExtractionCache`; hits skip extraction.
        on_done: Called after each document (progress).
        client: An existing ``distributed.Client`` to use instead of ``address``.
        places_dir: Folder of the place gazetteer (``None``: the bundled one); the
            workers must see the same folder.
        **cluster_options: Passed to ``LocalCluster`` when ``address`` is
            ``"local"`` (``n_workers``, ``threads_per_worker``, ``processes``...).

    Yields:
        One :class:`DocumentExtraction` per document, in input order.

    Raises:
        DistributedError: Dask is not installed or the scheduler cannot be reached.
    """
    def run(client) -> Iterator[DocumentExtraction]:
        window = 2 * (sum(client.nthreads().values()) or 1)
        return extract_ordered(
            documents, _submit(client), window=window, cache=cache, on_done=on_done, places_dir=places_dir
        )

    if client is not None:
        yield from run(client)
        return
    with _client(address, **cluster_options) as own:
        yield from run(own)
