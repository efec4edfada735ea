/*
 * fdpass: what virtlogd needs and Node lacks. makePipe() -> [readFd, writeFd]
 * (pipe2 with O_CLOEXEC); sendFd(socketFd, fd) sends one 0x00 byte carrying
 * `fd` as SCM_RIGHTS on a connected UNIX socket, the way libvirt passes a
 * descriptor after a REPLY_WITH_FDS message. sendFd never blocks the event
 * loop: it returns false when the peer's buffer is full (EAGAIN) and the caller
 * tries again later. Both throw with the errno text on any other failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <node_api.h>
#include "throw-errno.h"

static napi_value fail(napi_env env, const char *what) {
  return throw_errno(env, what, errno);
}

static napi_value make_pipe(napi_env env, napi_callback_info info) {
  (void)info;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return fail(env, "pipe2");
  napi_value arr, v;
  napi_create_array_with_length(env, 2, &arr);
  for (uint32_t i = 0; i < 2; i++) {
    napi_create_int32(env, fds[i], &v);
    napi_set_element(env, arr, i, v);
  }
  return arr;
}

static napi_value send_fd(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t sock, fd;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &sock) != napi_ok || napi_get_value_int32(env, argv[1], &fd) != napi_ok) {
    napi_throw_type_error(env, NULL, "sendFd(socketFd, fd): two descriptors");
    return NULL;
  }
  char byte = 0;
  struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
  union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
  memset(&control, 0, sizeof control);
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf };
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  /* The socket is non-blocking (libuv's): a full peer buffer is EAGAIN, for the caller to retry. */
  ssize_t sent;
  do sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  napi_value result;
  if (sent == 1) {
    napi_get_boolean(env, true, &result);
    return result;
  }
  if (errno != EAGAIN && errno != EWOULDBLOCK) return fail(env, "sendmsg(SCM_RIGHTS)");
  napi_get_boolean(env, false, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "makePipe", NAPI_AUTO_LENGTH, make_pipe, NULL, &fn);
  napi_set_named_property(env, exports, "makePipe", fn);
  napi_create_function(env, "sendFd", NAPI_AUTO_LENGTH, send_fd, NULL, &fn);
  napi_set_named_property(env, exports, "sendFd", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
