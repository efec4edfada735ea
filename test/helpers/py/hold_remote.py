"""A long-lived client in Python on one or more daemons' main sockets: on each
it makes one remote-program call (AUTH_LIST), so the daemon knows who it is,
prints "ready", and keeps every connection until stdin closes. Prints
"closed N" when the daemon drops the N-th connection (0-based).

    python3 hold_remote.py SOCKET [SOCKET...]

A SOCKET written PROGRAM:PROC:PATH (hex program) calls that procedure instead,
with a body of one string ("/") and one flags word: virtlogd's
GET_LOG_FILE_POSITION (program 87539319, procedure 2) has that shape.
"""
import select
import socket
import struct
import sys

conns = []
for arg in sys.argv[1:]:
    prog, proc, path, body = 0x20008086, 66, arg, b''
    if not arg.startswith('/'):
        prog_text, proc_text, path = arg.split(':', 2)
        prog, proc = int(prog_text, 16), int(proc_text)
        body = struct.pack('>I', 1) + b'/\0\0\0' + struct.pack('>I', 0)
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    frame = struct.pack('>IIiiIi', prog, 1, proc, 0, 1, 0) + body
    s.sendall(struct.pack('>I', len(frame) + 4) + frame)
    length = struct.unpack('>I', s.recv(4, socket.MSG_WAITALL))[0]
    s.recv(length - 4, socket.MSG_WAITALL)
    conns.append(s)
print('ready', flush=True)
open_ = {s.fileno(): i for i, s in enumerate(conns)}
while True:
    ready, _, _ = select.select([sys.stdin] + [s for s in conns if s.fileno() in open_], [], [])
    for r in ready:
        if r is sys.stdin:
            if not sys.stdin.readline():
                sys.exit(0)
            continue
        if not r.recv(4096):
            print('closed %d' % open_.pop(r.fileno()), flush=True)
