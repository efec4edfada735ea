/*
 * filelock: POSIX record locks (fcntl F_SETLK) on a file descriptor. Node has
 * none, and libvirt's daemons hold their pid files this way: a write lock on
 * byte 0, length 1, kept for the life of the process. Using the same lock
 * means our daemons and libvirt's exclude each other correctly.
 *
 * virtlockd takes the same lock on the resources it leases, shared (F_RDLCK) or
 * exclusive.
 *
 * tryLockByte(fd, shared = false) -> true when locked, false when another
 * process holds a conflicting lock; throws with the errno text on any other
 * failure. unlockByte(fd) drops it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <node_api.h>
#include "throw-errno.h"

static int fd_arg(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv, int32_t *fd, const char *usage) {
  if (napi_get_cb_info(env, info, argc, argv, NULL, NULL) != napi_ok || *argc < 1 ||
      napi_get_value_int32(env, argv[0], fd) != napi_ok || *fd < 0) {
    napi_throw_type_error(env, NULL, usage);
    return -1;
  }
  return 0;
}

/* F_SETLK of `type` (F_RDLCK, F_WRLCK, F_UNLCK) on byte 0, length 1; 0 or -1 with errno. */
static int set_byte_lock(int fd, short type) {
  struct flock fl;
  memset(&fl, 0, sizeof fl);
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 1;
  return fcntl(fd, F_SETLK, &fl);
}

static napi_value try_lock_byte(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd;
  bool shared = false;
  if (fd_arg(env, info, &argc, argv, &fd, "tryLockByte(fd, shared): fd must be a non-negative integer") < 0) return NULL;
  if (argc > 1) napi_get_value_bool(env, argv[1], &shared);
  napi_value result;
  if (set_byte_lock(fd, shared ? F_RDLCK : F_WRLCK) == 0) {
    napi_get_boolean(env, true, &result);
    return result;
  }
  if (errno == EAGAIN || errno == EACCES) {
    napi_get_boolean(env, false, &result);
    return result;
  }
  return throw_errno(env, "fcntl(F_SETLK)", errno);
}

static napi_value unlock_byte(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd;
  if (fd_arg(env, info, &argc, argv, &fd, "unlockByte(fd): fd must be a non-negative integer") < 0) return NULL;
  if (set_byte_lock(fd, F_UNLCK) != 0) return throw_errno(env, "fcntl(F_UNLCK)", errno);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "tryLockByte", NAPI_AUTO_LENGTH, try_lock_byte, NULL, &fn);
  napi_set_named_property(env, exports, "tryLockByte", fn);
  napi_create_function(env, "unlockByte", NAPI_AUTO_LENGTH, unlock_byte, NULL, &fn);
  napi_set_named_property(env, exports, "unlockByte", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
