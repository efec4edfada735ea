/*
 * notify: one datagram to systemd's $NOTIFY_SOCKET (sd_notify's protocol), so
 * Type=notify units know when the daemon is ready. Node has no UNIX datagram
 * sockets. notify(path, text) sends `text` to the socket at `path` (a leading
 * '@' means the abstract namespace) and throws with the errno text on failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <node_api.h>
#include "throw-errno.h"

static napi_value fail(napi_env env, const char *what) {
  return throw_errno(env, what, errno);
}

static napi_value notify(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
  char text[4096];
  size_t path_len, text_len;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_string_utf8(env, argv[0], path, sizeof path, &path_len) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], text, sizeof text, &text_len) != napi_ok || path_len == 0 ||
      path_len >= sizeof path - 1) {
    napi_throw_type_error(env, NULL, "notify(path, text): a socket path and a message");
    return NULL;
  }
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path, path, path_len);
  if (path[0] == '@') addr.sun_path[0] = '\0';
  socklen_t addr_len = offsetof(struct sockaddr_un, sun_path) + path_len + (path[0] == '@' ? 0 : 1);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(env, "socket(AF_UNIX, SOCK_DGRAM)");
  ssize_t sent = sendto(fd, text, text_len, MSG_NOSIGNAL, (struct sockaddr *)&addr, addr_len);
  int saved = errno;
  close(fd);
  errno = saved;
  if (sent < 0) return fail(env, "sendto($NOTIFY_SOCKET)");
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "notify", NAPI_AUTO_LENGTH, notify, NULL, &fn);
  napi_set_named_property(env, exports, "notify", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
