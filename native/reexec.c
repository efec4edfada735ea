/*
 * reexec: what virtlogd and virtlockd need to execute their binary again in
 * the same process on SIGUSR1 (same pid, same POSIX locks), which Node 20
 * cannot do.
 *
 * execve(file, argv, envp, keepFds) replaces the process image. Before it,
 * every descriptor that is not in keepFds or stdio gets FD_CLOEXEC (Node's
 * own epoll, eventfd, signal pipes ... must not leak into the new image) and
 * every one in keepFds or stdio loses it; SIGUSR1 is blocked, so that one arriving
 * before the new image listens for it stays pending instead of reaching
 * Node's default handler. If execve fails, every flag and the signal mask are
 * put back and it throws "execve: <strerror>"; the caller carries on.
 *
 * unblockSignal(signo) unblocks a signal in the calling thread: the new image
 * calls it for SIGUSR1 once its handler is installed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <node_api.h>
#include "throw-errno.h"

struct saved_flag {
  int fd;
  int flags;
};

/* A JS string array as a NULL-terminated char* array; NULL (with a JS exception) on bad input. */
static char **string_array(napi_env env, napi_value arr, const char *what) {
  bool is_array = false;
  uint32_t n = 0;
  if (napi_is_array(env, arr, &is_array) != napi_ok || !is_array || napi_get_array_length(env, arr, &n) != napi_ok) {
    napi_throw_type_error(env, NULL, what);
    return NULL;
  }
  char **out = calloc(n + 1, sizeof *out);
  if (!out) {
    throw_errno(env, "calloc", ENOMEM);
    return NULL;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    size_t len = 0;
    if (napi_get_element(env, arr, i, &v) != napi_ok || napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
      napi_throw_type_error(env, NULL, what);
      goto fail;
    }
    out[i] = malloc(len + 1);
    if (!out[i]) {
      throw_errno(env, "malloc", ENOMEM);
      goto fail;
    }
    napi_get_value_string_utf8(env, v, out[i], len + 1, &len);
  }
  return out;
fail:
  for (uint32_t i = 0; i < n; i++) free(out[i]);
  free(out);
  return NULL;
}

static void free_array(char **a) {
  if (!a) return;
  for (char **p = a; *p; p++) free(*p);
  free(a);
}

static bool is_kept(int fd, const int32_t *keep, uint32_t nkeep) {
  for (uint32_t i = 0; i < nkeep; i++)
    if (keep[i] == fd) return true;
  return false;
}

/*
 * Sets FD_CLOEXEC on every open descriptor above 2 except `keep`, clears it on
 * `keep`; records each changed descriptor's old flags in `saved` (*nsaved).
 */
static int mark_descriptors(const int32_t *keep, uint32_t nkeep, struct saved_flag **saved, size_t *nsaved) {
  DIR *dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  size_t cap = 64;
  *saved = malloc(cap * sizeof **saved);
  *nsaved = 0;
  if (!*saved) {
    closedir(dir);
    errno = ENOMEM;
    return -1;
  }
  struct dirent *de;
  while ((de = readdir(dir)) != NULL) {
    if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
    int fd = atoi(de->d_name);
    if (fd == dirfd(dir)) continue;
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0) continue;
    /* Node marks even stdin, stdout and stderr close-on-exec: those stay too. */
    int want = fd <= 2 || is_kept(fd, keep, nkeep) ? (flags & ~FD_CLOEXEC) : (flags | FD_CLOEXEC);
    if (want == flags) continue;
    if (*nsaved == cap) {
      struct saved_flag *more = realloc(*saved, 2 * cap * sizeof **saved);
      if (!more) {
        closedir(dir);
        errno = ENOMEM;
        return -1;
      }
      *saved = more;
      cap *= 2;
    }
    if (fcntl(fd, F_SETFD, want) < 0) {
      int err = errno;
      closedir(dir);
      errno = err;
      return -1;
    }
    (*saved)[(*nsaved)++] = (struct saved_flag){ fd, flags };
  }
  closedir(dir);
  return 0;
}

static void restore_descriptors(struct saved_flag *saved, size_t nsaved) {
  for (size_t i = 0; i < nsaved; i++) fcntl(saved[i].fd, F_SETFD, saved[i].flags);
  free(saved);
}

static napi_value do_execve(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    napi_throw_type_error(env, NULL, "execve(file, argv, envp, keepFds)");
    return NULL;
  }
  char file[4096];
  size_t flen = 0;
  if (napi_get_value_string_utf8(env, argv[0], file, sizeof file, &flen) != napi_ok || flen == 0 || flen >= sizeof file - 1) {
    napi_throw_type_error(env, NULL, "execve: file must be a path");
    return NULL;
  }
  uint32_t nkeep = 0;
  bool is_array = false;
  if (napi_is_array(env, argv[3], &is_array) != napi_ok || !is_array || napi_get_array_length(env, argv[3], &nkeep) != napi_ok) {
    napi_throw_type_error(env, NULL, "execve: keepFds must be an array of descriptors");
    return NULL;
  }
  int32_t *keep = calloc(nkeep + 1, sizeof *keep);
  if (!keep) return throw_errno(env, "calloc", ENOMEM);
  for (uint32_t i = 0; i < nkeep; i++) {
    napi_value v;
    if (napi_get_element(env, argv[3], i, &v) != napi_ok || napi_get_value_int32(env, v, &keep[i]) != napi_ok || keep[i] < 0) {
      free(keep);
      napi_throw_type_error(env, NULL, "execve: keepFds must be an array of descriptors");
      return NULL;
    }
  }
  char **args = string_array(env, argv[1], "execve: argv must be an array of strings");
  char **envp = args ? string_array(env, argv[2], "execve: envp must be an array of strings") : NULL;
  if (!args || !envp) {
    free(keep);
    free_array(args);
    return NULL;
  }

  struct saved_flag *saved = NULL;
  size_t nsaved = 0;
  sigset_t usr1, old_mask;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  int err = 0;
  const char *what = "execve";
  if (mark_descriptors(keep, nkeep, &saved, &nsaved) < 0) {
    err = errno;
    what = "marking descriptors close-on-exec";
  } else {
    pthread_sigmask(SIG_BLOCK, &usr1, &old_mask);
    execve(file, args, envp);
    err = errno;
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
  }
  restore_descriptors(saved, nsaved);
  free(keep);
  free_array(args);
  free_array(envp);
  return throw_errno(env, what, err);
}

static napi_value unblock_signal(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t signo;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_int32(env, argv[0], &signo) != napi_ok) {
    napi_throw_type_error(env, NULL, "unblockSignal(signo)");
    return NULL;
  }
  sigset_t set;
  sigemptyset(&set);
  if (sigaddset(&set, signo) != 0) return throw_errno(env, "sigaddset", errno);
  int rc = pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  if (rc != 0) return throw_errno(env, "pthread_sigmask", rc);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "execve", NAPI_AUTO_LENGTH, do_execve, NULL, &fn);
  napi_set_named_property(env, exports, "execve", fn);
  napi_create_function(env, "unblockSignal", NAPI_AUTO_LENGTH, unblock_signal, NULL, &fn);
  napi_set_named_property(env, exports, "unblockSignal", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
