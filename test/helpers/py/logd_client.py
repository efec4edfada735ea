"""A virtlogd client in Python, which (unlike Node) can receive the log pipe
the daemon passes with SCM_RIGHTS. Runs one scenario against SOCKET and
prints a JSON object of what it saw.

    python3 logd_client.py SOCKET DIR
"""
import json
import os
import socket
import struct
import sys
import time

PROG, VERS = 0x87539319, 1
sock_path, workdir = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.connect(sock_path)
serial = 0
last_reply = b''


def xstr(text):
    b = text.encode()
    return struct.pack('>I', len(b)) + b + b'\0' * (-len(b) % 4)


def domain():
    return bytes.fromhex('c0ffee00112233445566778899aabbcc') + xstr('golden')


def recv_exact(n):
    out = b''
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise EOFError('daemon closed the connection')
        out += chunk
    return out


def call(proc, body):
    global serial
    serial += 1
    frame = struct.pack('>IIiiIi', PROG, VERS, proc, 0, serial, 0) + body
    s.sendall(struct.pack('>I', len(frame) + 4) + frame)
    length = struct.unpack('>I', recv_exact(4))[0]
    rest = recv_exact(length - 4)
    global last_reply
    last_reply = struct.pack('>I', length) + rest
    _, _, _, mtype, _, status = struct.unpack('>IIiiIi', rest[:24])
    return mtype, status, rest[24:]


def error_of(body):
    code, dom = struct.unpack('>ii', body[:8])
    has_msg = struct.unpack('>I', body[8:12])[0]
    n = struct.unpack('>I', body[12:16])[0]
    return {'code': code, 'domain': dom, 'message': body[16:16 + n].decode() if has_msg else None}


def pos_of(body):
    return list(struct.unpack('>QQ', body[:16]))


def open_log(path, flags=0):
    mtype, status, body = call(1, xstr('qemu') + domain() + xstr(path) + struct.pack('>I', flags))
    if status != 0:
        return {'type': mtype, 'error': error_of(body)}, None
    # REPLY_WITH_FDS: the body starts with the number of descriptors sent after the frame.
    nfds = struct.unpack('>I', body[:4])[0]
    _, fds, _, _ = socket.recv_fds(s, 1, 1)
    return {'type': mtype, 'nfds': nfds, 'pos': pos_of(body[4:]), 'frame': last_reply.hex()}, fds[0]


def position(path):
    _, status, body = call(2, xstr(path) + struct.pack('>I', 0))
    return {'error': error_of(body)} if status else {'pos': pos_of(body)}


def read(path, inode, offset, maxlen):
    _, status, body = call(3, xstr(path) + struct.pack('>QQQI', inode, offset, maxlen, 0))
    if status:
        return {'error': error_of(body)}
    n = struct.unpack('>I', body[:4])[0]
    return {'data': body[4:4 + n].decode()}


def append(path, message):
    _, status, body = call(4, xstr('qemu') + domain() + xstr(path) + xstr(message) + struct.pack('>I', 0))
    return {'error': error_of(body)} if status else {'ret': struct.unpack('>i', body[:4])[0]}


out = {}
log = os.path.join(workdir, 'golden.log')
out['open'], fd = open_log(log)
os.write(fd, b'hello from the guest\n')
# POSITION first copies what waits in the pipe into the file, as libvirt's virtlogd does.
out['position'] = position(log)
inode = out['position']['pos'][0]
out['read'] = read(log, inode, 0, 1024)
out['append'] = append(log, 'appended line\n')
out['read_from_6'] = read(log, inode, 6, 1024)
out['open_again'], _ = open_log(log)
out['too_long'] = read(log, inode, 0, 4194305)
os.close(fd)
# The daemon drops the file once it sees the writer gone.
deadline = time.monotonic() + 10
out['position_after_close'] = position(log)
while 'error' not in out['position_after_close'] and time.monotonic() < deadline:
    time.sleep(0.02)
    out['position_after_close'] = position(log)

# Rollover: the daemon runs with max_size = 100, max_backups = 2.
big = os.path.join(workdir, 'big.log')
opened, fd = open_log(big)
first_inode = opened['pos'][0]
lines = ''.join('line %03d of the guest\n' % i for i in range(12))  # 12 x 22 = 264 bytes
os.write(fd, lines.encode())
position(big)
out['rolled_files'] = sorted(f for f in os.listdir(workdir) if f.startswith('big.log'))
out['rolled_sizes'] = {f: os.path.getsize(os.path.join(workdir, f)) for f in out['rolled_files']}
out['written'] = lines
oldest = os.stat(big + '.1').st_ino
out['read_across'] = read(big, oldest, 0, 4096)
out['first_inode_is_oldest'] = first_inode == oldest
os.close(fd)

# Errors in libvirt's words: a directory that is not there, an inode rolled out of existence.
missing = os.path.join(workdir, 'no-such-dir', 'x.log')
out['append_missing_dir'] = append(missing, 'x\n')
out['open_missing_dir'], _ = open_log(missing)
out['read_unknown_inode'] = read(big, 1, 0, 64)
out['read_unknown_inode_no_backups'] = read(log, 1, 0, 64)

# TRUNCATE deletes the file and its backups before opening afresh.
opened, fd = open_log(big, 1)
out['truncated_files'] = sorted(f for f in os.listdir(workdir) if f.startswith('big.log'))
out['truncated_pos'] = opened['pos'][1]
os.close(fd)
print(json.dumps(out))
