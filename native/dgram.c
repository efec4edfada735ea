/*
 * dgram: datagrams to a UNIX socket path, for the log outputs that speak to a local
 * collector: journald's native protocol (/run/systemd/journal/socket) and syslog
 * (/dev/log). Node has no UNIX datagram sockets.
 *
 *   socket() -> fd                      an unbound AF_UNIX SOCK_DGRAM socket (close-on-exec)
 *   sendTo(fd, path, buffer) -> errno   one datagram, never blocking: 0 when sent, else
 *                                       the errno (EAGAIN: the collector is behind;
 *                                       EMSGSIZE: too big for one datagram; ENOENT: no collector)
 *   sendMemfdTo(fd, path, buffer) -> errno
 *                                       journald's way for entries too big for a datagram:
 *                                       the bytes in a sealed memfd, passed with SCM_RIGHTS
 *                                       in an empty datagram
 * Only socket() throws (with the errno text); sending returns the errno, because a
 * logger must go on when its collector does not listen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <node_api.h>
#include "throw-errno.h"

static napi_value errno_value(napi_env env, int err) {
  napi_value v;
  napi_create_int32(env, err, &v);
  return v;
}

static napi_value open_socket(napi_env env, napi_callback_info info) {
  (void)info;
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket(AF_UNIX, SOCK_DGRAM)", errno);
  napi_value v;
  napi_create_int32(env, fd, &v);
  return v;
}

/* Reads (fd, path, buffer) and fills the destination address; 0 on success. */
static int read_args(napi_env env, napi_callback_info info, int *fd, struct sockaddr_un *addr,
                     socklen_t *addr_len, void **data, size_t *len) {
  size_t argc = 3;
  napi_value argv[3];
  size_t path_len;
  bool is_buffer = false;
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 ||
      napi_get_value_int32(env, argv[0], fd) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], addr->sun_path, sizeof addr->sun_path, &path_len) != napi_ok ||
      path_len == 0 || path_len >= sizeof addr->sun_path - 1 ||
      napi_is_buffer(env, argv[2], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, argv[2], data, len) != napi_ok) {
    napi_throw_type_error(env, NULL, "(fd, socketPath, buffer): a socket, a path and the bytes to send");
    return -1;
  }
  *addr_len = offsetof(struct sockaddr_un, sun_path) + path_len + 1;
  return 0;
}

static napi_value send_to(napi_env env, napi_callback_info info) {
  int fd;
  struct sockaddr_un addr;
  socklen_t addr_len;
  void *data;
  size_t len;
  if (read_args(env, info, &fd, &addr, &addr_len, &data, &len) != 0) return NULL;
  ssize_t sent = sendto(fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT, (struct sockaddr *)&addr, addr_len);
  return errno_value(env, sent < 0 ? errno : 0);
}

static int write_all(int fd, const char *p, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static napi_value send_memfd_to(napi_env env, napi_callback_info info) {
  int fd;
  struct sockaddr_un addr;
  socklen_t addr_len;
  void *data;
  size_t len;
  if (read_args(env, info, &fd, &addr, &addr_len, &data, &len) != 0) return NULL;
  int mem = memfd_create("journal-entry", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mem < 0) return errno_value(env, errno);
  int err = 0;
  if (write_all(mem, data, len) != 0 ||
      fcntl(mem, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    err = errno;
  } else {
    union {
      struct cmsghdr align;
      char buf[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_name = &addr;
    msg.msg_namelen = addr_len;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &mem, sizeof(int));
    if (sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) err = errno;
  }
  close(mem);
  return errno_value(env, err);
}

static napi_value init(napi_env env, napi_value exports) {
  const struct { const char *name; napi_callback fn; } fns[] = {
    {"socket", open_socket}, {"sendTo", send_to}, {"sendMemfdTo", send_memfd_to},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f);
    napi_set_named_property(env, exports, fns[i].name, f);
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
