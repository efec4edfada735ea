/* Throws a JS Error "<what>: <strerror(err)>" and returns NULL, for every addon here. */
#ifndef VIRTD_THROW_ERRNO_H
#define VIRTD_THROW_ERRNO_H
#include <stdio.h>
#include <string.h>
#include <node_api.h>

static inline napi_value throw_errno(napi_env env, const char *what, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_throw_error(env, NULL, msg);
  return NULL;
}

#endif
