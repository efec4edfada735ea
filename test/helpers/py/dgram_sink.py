"""A collector the test owns, standing in for journald's or syslog's socket: binds a UNIX
datagram socket at argv[1], then prints each datagram it receives as one hex line. An
empty datagram carrying a file descriptor (journald's way for big entries, a sealed
memfd) is printed as the file's contents. Prints READY once bound; ends on EOF of stdin."""
import array
import os
import select
import socket
import sys

path = sys.argv[1]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
print("READY", flush=True)
while True:
    ready, _, _ = select.select([sock, sys.stdin], [], [])
    if sys.stdin in ready and not sys.stdin.buffer.read1(1):
        break
    if sock not in ready:
        continue
    fds = array.array("i")
    data, ancdata, _flags, _addr = sock.recvmsg(1 << 20, socket.CMSG_SPACE(fds.itemsize))
    for level, kind, cdata in ancdata:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(cdata[: len(cdata) - (len(cdata) % fds.itemsize)])
    for fd in fds:
        os.lseek(fd, 0, os.SEEK_SET)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(fd)
        data = b"".join(chunks)
    print(data.hex(), flush=True)
