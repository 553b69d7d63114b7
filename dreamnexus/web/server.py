"""The ASGI application that `dreamnexus serve` runs, with the background analysis worker."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from dreamnexus.config import get_settings
from dreamnexus.discovery.schedule import ExchangeScheduler
from dreamnexus.integrity.timer import CheckpointTimer
from dreamnexus.journal.analysis_jobs import AnalysisWorker
from dreamnexus.web.app import create_app


def build() -> FastAPI:
    application = create_app(get_settings())
    # A served process: its festival hub may freeze what the first festival loads, too (festival/hub.py).
    application.state.festival_options = {"freeze_once_started": True}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker = None
        if application.state.settings.analysis_mode == "inprocess":
            worker = AnalysisWorker(application.state.db)
            worker.start()
        application.state.analysis_worker = worker
        checkpoints = CheckpointTimer(application.state.db, application.state.settings)
        checkpoints.start()
        scheduler = None
        if application.state.settings.exchange_every_hours > 0:
            every = application.state.settings.exchange_every_hours
            scheduler = ExchangeScheduler(application.state.db, every)
            scheduler.start()
        # What start-up made (modules, routes, templates, models) lives as long as the process: set it
        # aside from the collector, whose full passes over it paused a server process for 85 ms under load.
        gc.collect()
        gc.freeze()
        yield
        checkpoints.stop()
        if scheduler is not None:
            scheduler.stop()
        if worker is not None:
            worker.stop()
        application.state.db.dispose()

    application.router.lifespan_context = lifespan
    return application


app = build()
