"""The knowledge store's errands to the shared ``VersionBoard``, beside choosing a version.

It tells the board which version this process serves (a heartbeat: when that changes, else at
most every ``heartbeat_every`` seconds), reports a broken edit once across every process (the
process that reports it first tells staff), and keeps the board's last error for ``/readyz``,
logged at most once a minute while the store goes on serving what it has.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from helpbot.errors import HelpbotError
from helpbot.knowledge.snapshot import LoadedFiles
from helpbot.knowledge.versions import VersionBoard, rejected_edit_notice

logger = logging.getLogger(__name__)

BOARD_LOG_EVERY = 60.0


class BoardLink:
    """A store's board, its heartbeat and its last error."""

    def __init__(
        self, board: VersionBoard, *, clock: Callable[[], float], heartbeat_every: float
    ) -> None:
        self.board = board
        self._clock = clock
        self._heartbeat_every = heartbeat_every
        self.error: str | None = None  # the last call's error; None once the board answers
        self._logged_at = -BOARD_LOG_EVERY
        self._beat: tuple[str | None, float] | None = None

    def report(
        self,
        files: LoadedFiles,
        tell_staff: Callable[[str], None],
        *,
        folder: str,
        serving: str | None,
        version: int,
    ) -> bool:
        """Tell staff about a broken version, once across every process; False when the board
        could not be asked (tried again at the next check)."""
        try:
            first_report = self.board.reject(files.contents, files.problems)
        except HelpbotError as error:
            self.failed(error, version=version)
            return False
        if not first_report:
            return True
        try:
            tell_staff(rejected_edit_notice(files.problems, folder=folder, serving=serving))
        except Exception:
            logger.exception("could not store the notice about the broken FAQ edit for staff")
        return True

    def heartbeat(self, served: str, *, version: int) -> None:
        """Tell the board the content hash this process serves (``version`` here)."""
        now = self._clock()
        if self._beat is not None and self._beat[0] == served and (
            now - self._beat[1] < self._heartbeat_every
        ):
            return
        try:
            self.board.heartbeat(served)
        except HelpbotError as error:
            self.failed(error, version=version)
            return
        self._beat = (served, now)

    def failed(self, error: HelpbotError, *, version: int) -> None:
        """Keep the board's error for ``/readyz``; log it at most once a minute."""
        self.error = str(error)
        now = self._clock()
        if now - self._logged_at >= BOARD_LOG_EVERY:
            self._logged_at = now
            logger.warning("knowledge: %s; still serving version %s", error, version)
