"""An SMTP server that records every message it accepts (aiosmtpd), one JSON line each.

``python -m scripts.resilience.smtp_sink PORT RECORD_FILE CONTROL_FILE``. The control file, when
present, holds a number of seconds to hold each message before accepting it (to kill a sender
mid-send); while messages are held, their number is in CONTROL_FILE.holding. A message whose
sender hung up while it was held is not accepted, as a real server that could not answer 250
does not take responsibility for it.
"""

import asyncio
import json
import sys
import time
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, record: Path, control: Path):
        self.record, self.control = record, control
        self.holding_file = control.with_name(control.name + ".holding")
        self.holding = 0

    def set_holding(self, change: int) -> None:
        self.holding += change
        self.holding_file.write_text(str(self.holding))

    def hold_seconds(self) -> float:
        try:
            return float(self.control.read_text().strip() or 0)
        except (FileNotFoundError, ValueError):
            return 0.0

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        hold = self.hold_seconds()
        if hold:
            self.set_holding(+1)
            try:
                await asyncio.sleep(hold)
            except asyncio.CancelledError:  # the sender hung up while the message was held
                self.write(message, envelope, accepted=False)
                raise
            finally:
                self.set_holding(-1)
            transport = getattr(server, "transport", None)
            if transport is None or transport.is_closing():
                self.write(message, envelope, accepted=False)
                return "421 sender gone"
        self.write(message, envelope, accepted=True)
        return "250 Message accepted for delivery"

    def write(self, message, envelope, *, accepted: bool) -> None:
        with self.record.open("a", encoding="utf-8") as out:
            out.write(
                json.dumps(
                    {
                        "at": time.time(),
                        "accepted": accepted,
                        "message_id": message.get("Message-ID", ""),
                        "subject": str(message.get("Subject", "")),
                        "to": envelope.rcpt_tos,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


def main() -> None:
    port, record, control = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    controller = Controller(Recorder(record, control), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
