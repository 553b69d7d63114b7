"""Festival benchmark: the goals of the Dream Festival, measured through the simulator.

Client and server share this machine (2 cores, shared with other work), so every figure includes the
clients' own CPU use (the simulator's clients are picows, in 2 processes). Prints one JSON line per
scenario as it finishes (with the load average before and after it), then one JSON object with all.

    .venv/bin/python benchmarks/festival.py                 # every scenario at the goal sizes
    .venv/bin/python benchmarks/festival.py --only idle --scale 0.2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from typing import Any

from dreamnexus.festival.simulate import simulate

GOALS = {
    "active": "5,000 active participants at 2 Hz ticks: delivery p99 <= 250 ms, 0 lost",
    "idle": "10,000 connected; <= 30 KB per idle connection",
    "attack": "30% attackers: honest ack p99 <= 500 ms, adversarial share of the weave <= 1%",
    "kill": "kill -9 of the server mid-run and restart: 0 acknowledged contributions lost",
}


def scenarios(scale: float) -> dict[str, dict[str, Any]]:
    n = lambda x: max(10, int(x * scale))  # noqa: E731
    return {
        "active": {"participants": n(5000), "duration": 60, "interval": 30.0},
        "idle": {"participants": n(10_000), "duration": 15, "interval": 600.0},
        "attack": {"participants": n(2000), "duration": 45, "attackers": 0.3, "interval": 30.0},
        "kill": {"participants": n(1000), "duration": 30, "interval": 5.0, "kill_at": 12.0},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every participant count")
    parser.add_argument("--only", action="append", choices=list(GOALS), help="run only these scenarios")
    args = parser.parse_args()
    out: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "note": "clients and server share the machine, which other work also uses",
        "scenarios": {},
    }
    for name, options in scenarios(args.scale).items():
        if args.only and name not in args.only:
            continue
        started = time.monotonic()
        load_before = [round(x, 2) for x in os.getloadavg()]
        report = simulate(**options)
        report["goal"] = GOALS[name]
        report["wall_s"] = round(time.monotonic() - started, 1)
        report["load_avg_before"] = load_before
        report["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
        out["scenarios"][name] = report
        print(json.dumps({name: report}), flush=True)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
