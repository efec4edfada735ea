"""Tries, over and over until its stdin closes, to take the lease virtlockd
holds: a POSIX write lock on byte 0 of PATH (F_SETLK, as libvirt takes it).
Prints "ready" after the first try, then JSON: how many tries, how many won.

    python3 lock_contender.py PATH
"""
import fcntl
import json
import os
import select
import sys

fd = os.open(sys.argv[1], os.O_RDWR)
tries = won = 0
while True:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0)
        won += 1
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, 0)
    except OSError:
        pass
    tries += 1
    if tries == 1:
        print('ready', flush=True)
    readable, _, _ = select.select([sys.stdin], [], [], 0.001)
    if readable:
        break
print(json.dumps({'tries': tries, 'won': won}), flush=True)
