/*
 * filelock: POSIX record locks (fcntl F_SETLK) on a file descriptor. Node has
 * none, and libvirt's daemons hold their pid files this way: a write lock on
 * byte 0, length 1, kept for the life of the process. Using the same lock
 * means our daemons and libvirt's exclude each other correctly.
 *
 * tryLockByte(fd) -> true when locked, false when another process holds it;
 * throws with the errno text on any other failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <node_api.h>

static napi_value try_lock_byte(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "tryLockByte(fd): fd must be a non-negative integer");
    return NULL;
  }
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 1;
  napi_value result;
  if (fcntl(fd, F_SETLK, &fl) == 0) {
    napi_get_boolean(env, true, &result);
    return result;
  }
  if (errno == EAGAIN || errno == EACCES) {
    napi_get_boolean(env, false, &result);
    return result;
  }
  char msg[256];
  snprintf(msg, sizeof msg, "fcntl(F_SETLK): %s", strerror(errno));
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "tryLockByte", NAPI_AUTO_LENGTH, try_lock_byte, NULL, &fn);
  napi_set_named_property(env, exports, "tryLockByte", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
