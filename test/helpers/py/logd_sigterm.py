"""SIGTERM with bytes still in a log pipe: opens PATH through virtlogd, stops
the daemon (SIGSTOP) so it cannot read, fills the pipe, then sends SIGTERM and
SIGCONT and waits for the daemon to be gone. Prints how many bytes it wrote.

    python3 logd_sigterm.py SOCKET PATH DAEMON_PID
"""
import os
import signal
import socket
import struct
import sys
import time

sock_path, path, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_UNIX)
s.connect(sock_path)


def xstr(text):
    b = text.encode()
    return struct.pack('>I', len(b)) + b + b'\0' * (-len(b) % 4)


body = xstr('qemu') + bytes(16) + xstr('guest') + xstr(path) + struct.pack('>I', 0)
frame = struct.pack('>IIiiIi', 0x87539319, 1, 1, 0, 1, 0) + body
s.sendall(struct.pack('>I', len(frame) + 4) + frame)
length = struct.unpack('>I', s.recv(4, socket.MSG_WAITALL))[0]
s.recv(length - 4, socket.MSG_WAITALL)
_, fds, _, _ = socket.recv_fds(s, 1, 1)
fd = fds[0]

os.kill(pid, signal.SIGSTOP)
line = b'%08d bytes that were in the pipe when SIGTERM came\n'
data = b''.join(line % i for i in range(1000))  # 55000 bytes: less than a pipe holds
os.write(fd, data)
os.kill(pid, signal.SIGTERM)
os.kill(pid, signal.SIGCONT)
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    # A zombie still answers kill(0): it is gone once its state says so.
    try:
        with open('/proc/%d/stat' % pid) as st:
            if st.read().split(') ')[1].startswith('Z'):
                break
    except FileNotFoundError:
        break
    time.sleep(0.01)
print(len(data))
