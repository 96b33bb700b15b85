"""Run make targets in lanes, side by side, and say what is going on.

    python scripts/steps.py pytest-browser -- build lint linkcheck pytest-rest

Each argument group between `--` is a lane: its targets run one after the
other, and the lanes run at once. A line says when each step starts and how
it ended, with its time (and pytest's closing line); while steps run, a line
at least every 10 s says which, and the last thing each printed. A failing
step's output is printed in full, the other lanes are stopped, and the exit
status is non-zero.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

QUIET_FOR = 10.0  # seconds without a line before a "running" line
PYTEST_CLOSING = re.compile(r"^=+ .* in [\d.]+s.* =+$")


@dataclass
class Step:
    """One make target, its output in a file, and how it ended."""

    target: str
    log: Path
    started: float = 0.0
    process: subprocess.Popen[bytes] | None = None
    seconds: float | None = None
    returncode: int | None = None
    stopped: bool = False

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def last_line(self) -> str:
        lines = [line for line in self.output().splitlines() if line.strip()]
        return lines[-1].strip()[-100:] if lines else ""


class Runner:
    """The lanes, a lock for printing, and whether to go on."""

    def __init__(self, lanes: list[list[str]], folder: Path) -> None:
        self.lanes = [
            [Step(t, folder / f"{t}.log") for t in lane] for lane in lanes
        ]
        self.lock = threading.Lock()
        self.failed = threading.Event()
        self.last_print = time.monotonic()

    def say(self, text: str) -> None:
        with self.lock:
            print(text, flush=True)
            self.last_print = time.monotonic()

    def run_lane(self, lane: list[Step]) -> None:
        for step in lane:
            if self.failed.is_set():
                return
            self.run_step(step)

    def run_step(self, step: Step) -> None:
        self.say(f"start   {step.target}")
        step.started = time.monotonic()
        with step.log.open("wb") as log:
            step.process = subprocess.Popen(
                ["make", "--no-print-directory", step.target],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # a group, to stop it whole
            )
            step.returncode = step.process.wait()
        step.seconds = time.monotonic() - step.started
        if step.stopped:
            self.say(f"stopped {step.target} after {step.seconds:.1f} s")
        elif step.returncode == 0:
            closing = [
                line
                for line in step.output().splitlines()
                if PYTEST_CLOSING.match(line)
            ]
            ended = f"ok      {step.target} in {step.seconds:.1f} s"
            self.say("\n".join([ended, *closing[-1:]]))
        else:
            self.failed.set()
            self.stop_others(step)
            self.say(
                f"FAILED  {step.target} in {step.seconds:.1f} s"
                f" (exit {step.returncode}); its output:\n"
                f"{step.output().rstrip()}\n"
                f"FAILED  {step.target}"
            )

    def stop_others(self, failed: Step | None) -> None:
        for step in self.running():
            if step is not failed and step.process:
                step.stopped = True
                with suppress(ProcessLookupError):  # it ended meanwhile
                    os.killpg(step.process.pid, signal.SIGTERM)

    def running(self) -> list[Step]:
        return [
            step
            for lane in self.lanes
            for step in lane
            if step.process and step.returncode is None
        ]

    def report_while_running(self, threads: list[threading.Thread]) -> None:
        """A line whenever QUIET_FOR seconds passed without one."""
        while any(thread.is_alive() for thread in threads):
            time.sleep(0.5)
            if time.monotonic() - self.last_print < QUIET_FOR:
                continue
            now = time.monotonic()
            self.say(
                "running "
                + "; ".join(
                    f"{s.target} {now - s.started:.0f} s: {s.last_line()}"
                    for s in self.running()
                )
            )


def lanes_of(argv: list[str]) -> list[list[str]]:
    lanes: list[list[str]] = [[]]
    for arg in argv:
        if arg == "--":
            lanes.append([])
        else:
            lanes[-1].append(arg)
    if not all(lanes):
        raise SystemExit("usage: steps.py TARGET... [-- TARGET...]...")
    return lanes


def main() -> int:
    lanes = lanes_of(sys.argv[1:])
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="make-test-") as folder:
        runner = Runner(lanes, Path(folder))
        threads = [
            threading.Thread(target=runner.run_lane, args=(lane,))
            for lane in runner.lanes
        ]
        for thread in threads:
            thread.start()
        try:
            runner.report_while_running(threads)
        except KeyboardInterrupt:
            runner.failed.set()
            runner.stop_others(failed=None)
            for thread in threads:
                thread.join()
            return 130
    seconds = time.monotonic() - started
    if runner.failed.is_set():
        print(f"failed after {seconds:.1f} s", flush=True)
        return 1
    print(f"every step passed, in {seconds:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
