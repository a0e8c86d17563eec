"""Scan every message of a Maildir with flufl.bounce (the Python reference): parse with the
standard library's email package, then flufl.bounce.scan_message. Prints msg/s."""
import email
import os
import sys
import time

from flufl.bounce import scan_message

root = sys.argv[1]
start = time.perf_counter()
n = found = 0
for sub in ("new", "cur"):
    d = os.path.join(root, sub)
    for name in os.listdir(d):
        with open(os.path.join(d, name), "rb") as f:
            msg = email.message_from_binary_file(f)
        try:
            addresses = scan_message(msg)
        except Exception:
            addresses = set()
        n += 1
        found += bool(addresses)
secs = time.perf_counter() - start
print(f"{n} messages ({found} with a bounced address) in {secs:.3f} s: {n / secs:.0f} msg/s")
