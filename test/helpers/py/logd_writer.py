"""A guest stand-in: opens PATH through virtlogd (OPEN_LOG_FILE, receiving the
pipe's write end), prints "ready", then writes every line it reads from stdin
into the pipe and prints "wrote" after each, until stdin closes.

    python3 logd_writer.py SOCKET PATH
"""
import os
import socket
import struct
import sys

sock_path, path = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.connect(sock_path)


def xstr(text):
    b = text.encode()
    return struct.pack('>I', len(b)) + b + b'\0' * (-len(b) % 4)


body = xstr('qemu') + bytes.fromhex('c0ffee00112233445566778899aabbcc') + xstr('writer') + xstr(path) + struct.pack('>I', 0)
frame = struct.pack('>IIiiIi', 0x87539319, 1, 1, 0, 1, 0) + body
s.sendall(struct.pack('>I', len(frame) + 4) + frame)
length = struct.unpack('>I', s.recv(4, socket.MSG_WAITALL))[0]
s.recv(length - 4, socket.MSG_WAITALL)
_, fds, _, _ = socket.recv_fds(s, 1, 1)
fd = fds[0]
s.close()
print('ready', flush=True)
for line in sys.stdin:
    os.write(fd, line.encode())
    print('wrote', flush=True)
os.close(fd)
