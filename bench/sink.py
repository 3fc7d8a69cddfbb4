"""An SMTP server that accepts every message at once and remembers when: the `sends` scenario's
inbox, in a process of its own (python bench/sink.py PORT STATUS_FILE).

Every 50 ms it writes "<messages> <bytes>" to STATUS_FILE; on SIGTERM, the arrival time (epoch
seconds) of every message, as JSON, to STATUS_FILE + ".arrivals", then it stops.
"""

import asyncio
import json
import signal
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self) -> None:
        self.arrivals: list[float] = []
        self.size = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.arrivals.append(time.time())
        self.size += len(envelope.content)
        return "250 2.0.0 Accepted"


def main(port: int, status: Path) -> None:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping:
            status.with_suffix(".tmp").write_text(f"{len(sink.arrivals)} {sink.size}")
            status.with_suffix(".tmp").replace(status)
            time.sleep(0.05)
    finally:
        controller.stop()
        Path(f"{status}.arrivals").write_text(json.dumps(sink.arrivals))


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main(int(sys.argv[1]), Path(sys.argv[2]))
