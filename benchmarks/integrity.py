"""Cost of the tamper-evident history, printed as JSON.

1. Write throughput: dreams created per second through journal.service.create_dream (one transaction
   each, SQLite file database), without and with the audit log installed, and their ratio.
2. `audit verify` time for a log of --entries entries (default 1,000,000): a valid chain is bulk-inserted
   directly, a signed checkpoint made, then the full verification (hashes, seals, Merkle root and
   checkpoint, content) is timed, and the checkpoint on its own.

    .venv/bin/python benchmarks/integrity.py [--dreams 1500] [--entries 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dreamnexus.accounts import service as accounts
from dreamnexus.config import Settings
from dreamnexus.crypto import keyring
from dreamnexus.db import migrate
from dreamnexus.db.engine import Database
from dreamnexus.integrity import audit as audit_module
from dreamnexus.integrity import models as _models  # noqa: F401  (maps the audit tables)
from dreamnexus.integrity.canonical import GENESIS
from dreamnexus.integrity.chain import derive_key, entry_fields, entry_hash, entry_mac
from dreamnexus.integrity.checkpoints import make_checkpoint
from dreamnexus.integrity.verify import verify
from dreamnexus.journal import service as journal
from dreamnexus.journal.schemas import DreamCreate

SECRET = "benchmark-secret"
WORDS = (
    "house rooms grandmother garden river stairs dog station train water flying falling teeth school "
    "exam wedding forest mountain sea city glass door key mother father friend stranger dark light"
)
_WORDS = WORDS.split()


def texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(60, 200))) + "." for _ in range(n)]


def fresh_database(folder: Path, name: str) -> Database:
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / name}"
    migrate.upgrade(url)
    return Database(url)


def write_throughput(folder: Path, n: int, batch: int = 25) -> dict[str, float]:
    """Dreams/s without and with the log, measured in alternating batches on two databases.

    Interleaving gives both variants the same share of a shared, noisy machine; each batch is timed alone.
    """
    bodies = texts(n)
    runs: dict[str, dict[str, Any]] = {}
    for name in ("without", "with"):
        database = fresh_database(folder, f"write-{name}.db")
        settings = Settings(data_dir=folder, database_url=database.url, secret_key=SECRET)
        with database.session() as session:
            user = accounts.register(
                session, email=f"bench-{name}@example.org", password="a long enough passphrase"
            )
        runs[name] = {"database": database, "settings": settings, "user": user, "wall": 0.0, "cpu": 0.0}
    try:
        for start in range(0, n, batch):
            for name, run in runs.items():
                if name == "with":
                    audit_module.install(run["settings"])
                wall, cpu = time.perf_counter(), time.process_time()
                for body in bodies[start : start + batch]:
                    with run["database"].session() as session:
                        journal.create_dream(session, run["user"], DreamCreate(text=body, tags=["bench"]))
                run["wall"] += time.perf_counter() - wall
                run["cpu"] += time.process_time() - cpu
                audit_module.uninstall()
    finally:
        audit_module.uninstall()
        for run in runs.values():
            run["database"].dispose()
    return {
        "without_audit_per_s": n / runs["without"]["wall"],
        "with_audit_per_s": n / runs["with"]["wall"],
        "without_audit_cpu_ms_per_dream": 1000 * runs["without"]["cpu"] / n,
        "with_audit_cpu_ms_per_dream": 1000 * runs["with"]["cpu"] / n,
    }


def bulk_chain(path: Path, n: int) -> float:
    """Insert a valid chain of n entries straight into SQLite; returns the seconds it took."""
    mac_key = derive_key(SECRET, "mac")
    start = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    prev = GENESIS
    batch: list[tuple[Any, ...]] = []
    insert = (
        "INSERT INTO audit_entries (seq, at, actor, action, object_type, object_id, digest, prev_hash, "
        "entry_hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    actor = "5f" * 16
    for seq in range(1, n + 1):
        # api_token entries: objects with no table to re-read, so only the chain and the tree are measured.
        at = f"2026-11-26T06:{seq // 60_000 % 60:02d}:{seq // 1000 % 60:02d}.{seq % 1_000_000:06d}Z"
        object_id = f"token{seq % 50_000}"
        digest = f"{seq:064x}"
        hash_hex = entry_hash(
            entry_fields(seq, at, actor, "token.create", "api_token", object_id, digest, prev)
        )
        batch.append((seq, at, actor, "token.create", "api_token", object_id, digest, prev, hash_hex,
                      entry_mac(mac_key, hash_hex)))  # fmt: skip
        prev = hash_hex
        if len(batch) == 50_000:
            connection.executemany(insert, batch)
            connection.commit()  # bounded transactions keep the WAL, and later reads through it, small
            batch.clear()
    if batch:
        connection.executemany(insert, batch)
    connection.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (n, prev))
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return time.perf_counter() - start


def verify_cost(folder: Path, n: int) -> dict[str, Any]:
    database = fresh_database(folder, "verify.db")
    settings = Settings(data_dir=folder, database_url=database.url, secret_key=SECRET)
    insert_s = bulk_chain(Path(database.url.split("///", 1)[1]), n)
    start = time.perf_counter()
    with database.session() as session:
        checkpoint = make_checkpoint(session, settings)
    checkpoint_s = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    with database.session() as session:
        report = verify(session, settings)
    verify_s, verify_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    database.dispose()
    if not report.intact or report.entries != n or checkpoint.tree_size != n:
        sys.exit(f"benchmark chain did not verify: {[str(f) for f in report.findings[:5]]}")
    return {
        "entries": n,
        "bulk_insert_s": round(insert_s, 2),
        "checkpoint_s": round(checkpoint_s, 2),
        "verify_s": round(verify_s, 2),
        "verify_cpu_s": round(verify_cpu_s, 2),
        "verify_entries_per_s": round(n / verify_s),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dreams", type=int, default=1000, help="dreams per variant and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each on fresh databases")
    parser.add_argument("--entries", type=int, default=1_000_000, help="entries in the verified log")
    args = parser.parse_args()
    # Dream text and snapshots are sealed at rest, as in production; the keyring stays in memory.
    keyring.install(keyring.Keyring.generate())
    with tempfile.TemporaryDirectory(prefix="dnx-integrity-") as tmp:
        folder = Path(tmp)
        rounds = [write_throughput(folder / f"round{r}", args.dreams) for r in range(args.rounds)]
        verification = verify_cost(folder, args.entries)
    print(
        json.dumps(
            {
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "write_throughput": {
                    "database": "sqlite file (WAL, synchronous=NORMAL), one transaction per dream",
                    "dreams_per_round": args.dreams,
                    "rounds": args.rounds,
                    **{key: round(statistics.median(r[key] for r in rounds), 2) for key in rounds[0]},
                    "ratio": round(
                        statistics.median(r["with_audit_per_s"] / r["without_audit_per_s"] for r in rounds), 3
                    ),
                    "ratio_per_round": [
                        round(r["with_audit_per_s"] / r["without_audit_per_s"], 3) for r in rounds
                    ],
                    "load_average": os.getloadavg()[0],
                },
                "verify": verification,
                "load_average_at_end": os.getloadavg()[0],
                "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
