/*
 * sasl: the server side of Cyrus SASL (libsasl2), the library libvirt's own
 * daemons and clients use, so that the real virsh authenticates against us
 * with the mechanisms, config files and credential stores it knows.
 *
 * No npm package binds libsasl2. This addon is a thin, synchronous mapping of
 * the calls a libvirt server makes: init once, one sasl_conn_t per client
 * (an external value whose finalizer disposes it), mechanism listing, the
 * start/step exchange, the properties read after it (SSF, user name, largest
 * block the security layer takes), and encode/decode of the security layer.
 * Cyrus SASL is not thread-safe per connection; every call here runs on the
 * JavaScript thread, one at a time.
 *
 * Failures throw an Error whose message is Cyrus's detail text and whose
 * `saslCode` property is the SASL result code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sasl/sasl.h>
#include <node_api.h>

typedef struct {
  sasl_conn_t *conn;
} session_t;

static int initialised = 0;

static napi_value throw_sasl(napi_env env, const char *what, int code, const char *detail) {
  char msg[1024];
  snprintf(msg, sizeof msg, "%s: %d (%s)", what, code, detail ? detail : sasl_errstring(code, NULL, NULL));
  napi_value message, error, value;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &error);
  napi_create_int32(env, code, &value);
  napi_set_named_property(env, error, "saslCode", value);
  napi_throw(env, error);
  return NULL;
}

static napi_value type_error(napi_env env, const char *msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

/* Reads argument i as a UTF-8 string into a malloc'd buffer; *out stays NULL for null/undefined. */
static int string_arg(napi_env env, napi_value v, int nullable, char **out) {
  napi_valuetype t;
  *out = NULL;
  napi_typeof(env, v, &t);
  if (nullable && (t == napi_null || t == napi_undefined)) return 1;
  if (t != napi_string) return 0;
  size_t len;
  napi_get_value_string_utf8(env, v, NULL, 0, &len);
  *out = malloc(len + 1);
  if (!*out) return 0;
  napi_get_value_string_utf8(env, v, *out, len + 1, &len);
  return 1;
}

/* Reads a Buffer or null; `*present` tells the two apart (SASL treats NULL and "" differently). */
static int buffer_arg(napi_env env, napi_value v, const char **data, size_t *len, int *present) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  *data = NULL;
  *len = 0;
  *present = 0;
  if (t == napi_null || t == napi_undefined) return 1;
  bool is_buffer;
  napi_is_buffer(env, v, &is_buffer);
  if (!is_buffer) return 0;
  void *p;
  napi_get_buffer_info(env, v, &p, len);
  /* An empty Buffer may have no storage; SASL must still see a non-NULL, empty input. */
  *data = *len ? (const char *)p : "";
  *present = 1;
  return 1;
}

static napi_value buffer_or_null(napi_env env, const char *data, unsigned len) {
  napi_value v;
  if (!data) {
    napi_get_null(env, &v);
    return v;
  }
  void *copy;
  napi_create_buffer_copy(env, len, len ? data : "", &copy, &v);
  return v;
}

static void session_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  session_t *s = data;
  if (s->conn) sasl_dispose(&s->conn);
  free(s);
}

static session_t *session_arg(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok || !data) return NULL;
  session_t *s = data;
  return s->conn ? s : NULL;
}

#define ARGS(n)                                                   \
  size_t argc = n;                                                \
  napi_value argv[n > 0 ? n : 1];                                 \
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);           \
  if (argc < n) return type_error(env, "missing arguments")

#define SESSION(i)                                                \
  session_t *s = session_arg(env, argv[i]);                       \
  if (!s) return type_error(env, "not a live SASL session")

/* serverInit(appName): sasl_server_init once per process; the app's config is read here. */
static napi_value server_init(napi_env env, napi_callback_info info) {
  ARGS(1);
  if (initialised) return NULL;
  char *app;
  if (!string_arg(env, argv[0], 0, &app)) return type_error(env, "serverInit(appName: string)");
  int rc = sasl_server_init(NULL, app);
  /* Cyrus keeps the pointer it was given as the application name. */
  if (rc != SASL_OK) {
    free(app);
    return throw_sasl(env, "failed to initialize SASL library", rc, NULL);
  }
  initialised = 1;
  return NULL;
}

/*
 * serverNew(service, serverFqdn|null, localAddr|null, remoteAddr|null): a new connection
 * context. With a null FQDN Cyrus looks the host's name up itself (a blocking resolver call);
 * the daemon does that once at start-up and passes the result (serverFqdn()) from then on.
 */
static napi_value server_new(napi_env env, napi_callback_info info) {
  ARGS(4);
  if (!initialised) return type_error(env, "serverInit must be called first");
  char *service = NULL, *fqdn = NULL, *local = NULL, *remote = NULL;
  napi_value result = NULL;
  if (!string_arg(env, argv[0], 0, &service) || !string_arg(env, argv[1], 1, &fqdn) || !string_arg(env, argv[2], 1, &local) ||
      !string_arg(env, argv[3], 1, &remote)) {
    type_error(env, "serverNew(service: string, serverFqdn: string | null, localAddr: string | null, remoteAddr: string | null)");
    goto out;
  }
  session_t *s = calloc(1, sizeof *s);
  if (!s) {
    napi_throw_error(env, NULL, "out of memory");
    goto out;
  }
  int rc = sasl_server_new(service, fqdn, NULL, local, remote, NULL, SASL_SUCCESS_DATA, &s->conn);
  if (rc != SASL_OK) {
    free(s);
    throw_sasl(env, "Failed to create SASL server context", rc, NULL);
    goto out;
  }
  napi_create_external(env, s, session_finalize, NULL, &result);
out:
  free(service);
  free(fqdn);
  free(local);
  free(remote);
  return result;
}

/* serverFqdn(session): the host name the context serves as (GSSAPI's libvirt/<this name>). */
static napi_value server_fqdn(napi_env env, napi_callback_info info) {
  ARGS(1);
  SESSION(0);
  const void *fqdn = NULL;
  int rc = sasl_getprop(s->conn, SASL_SERVERFQDN, &fqdn);
  if (rc != SASL_OK) return throw_sasl(env, "cannot query the SASL server name", rc, NULL);
  napi_value v;
  if (fqdn) napi_create_string_utf8(env, fqdn, NAPI_AUTO_LENGTH, &v);
  else napi_get_null(env, &v);
  return v;
}

/* dispose(session): frees the context now rather than at garbage collection. */
static napi_value dispose(napi_env env, napi_callback_info info) {
  ARGS(1);
  void *data = NULL;
  if (napi_get_value_external(env, argv[0], &data) == napi_ok && data) {
    session_t *s = data;
    if (s->conn) sasl_dispose(&s->conn);
  }
  return NULL;
}

/* setExternalSsf(session, ssf): the strength of a layer below SASL (TLS). */
static napi_value set_external_ssf(napi_env env, napi_callback_info info) {
  ARGS(2);
  SESSION(0);
  uint32_t ssf;
  if (napi_get_value_uint32(env, argv[1], &ssf) != napi_ok) return type_error(env, "ssf must be a number");
  sasl_ssf_t value = ssf;
  int rc = sasl_setprop(s->conn, SASL_SSF_EXTERNAL, &value);
  if (rc != SASL_OK) return throw_sasl(env, "cannot set external SSF", rc, NULL);
  return NULL;
}

/* setSecurityProperties(session, minSsf, maxSsf, maxBufSize, allowAnonymous). */
static napi_value set_security_properties(napi_env env, napi_callback_info info) {
  ARGS(5);
  SESSION(0);
  uint32_t min_ssf, max_ssf, maxbuf;
  bool anonymous;
  if (napi_get_value_uint32(env, argv[1], &min_ssf) != napi_ok || napi_get_value_uint32(env, argv[2], &max_ssf) != napi_ok ||
      napi_get_value_uint32(env, argv[3], &maxbuf) != napi_ok || napi_get_value_bool(env, argv[4], &anonymous) != napi_ok)
    return type_error(env, "setSecurityProperties(session, minSsf, maxSsf, maxBufSize, allowAnonymous)");
  sasl_security_properties_t props;
  memset(&props, 0, sizeof props);
  props.min_ssf = min_ssf;
  props.max_ssf = max_ssf;
  props.maxbufsize = maxbuf;
  props.security_flags = anonymous ? 0 : SASL_SEC_NOANONYMOUS | SASL_SEC_NOPLAINTEXT;
  int rc = sasl_setprop(s->conn, SASL_SEC_PROPS, &props);
  if (rc != SASL_OK) return throw_sasl(env, "cannot set security props", rc, NULL);
  return NULL;
}

/* listMechanisms(session): the mechanisms this client may use, comma-separated (may be empty). */
static napi_value list_mechanisms(napi_env env, napi_callback_info info) {
  ARGS(1);
  SESSION(0);
  const char *list = NULL;
  int rc = sasl_listmech(s->conn, NULL, "", ",", "", &list, NULL, NULL);
  if (rc != SASL_OK) return throw_sasl(env, "cannot list SASL mechanisms", rc, sasl_errdetail(s->conn));
  napi_value v;
  napi_create_string_utf8(env, list ? list : "", NAPI_AUTO_LENGTH, &v);
  return v;
}

/* { complete, data } from a start or step that did not fail. */
static napi_value exchange_result(napi_env env, int rc, const char *out, unsigned outlen) {
  napi_value obj, complete;
  napi_create_object(env, &obj);
  napi_get_boolean(env, rc == SASL_OK, &complete);
  napi_set_named_property(env, obj, "complete", complete);
  napi_set_named_property(env, obj, "data", buffer_or_null(env, out, outlen));
  return obj;
}

/* serverStart(session, mech, data|null) -> { complete, data|null }. */
static napi_value server_start(napi_env env, napi_callback_info info) {
  ARGS(3);
  SESSION(0);
  char *mech;
  const char *in;
  size_t inlen;
  int present;
  if (!string_arg(env, argv[1], 0, &mech)) return type_error(env, "mech must be a string");
  if (!buffer_arg(env, argv[2], &in, &inlen, &present) || inlen > UINT32_MAX) {
    free(mech);
    return type_error(env, "data must be a Buffer or null");
  }
  const char *out = NULL;
  unsigned outlen = 0;
  int rc = sasl_server_start(s->conn, mech, in, (unsigned)inlen, &out, &outlen);
  free(mech);
  if (rc != SASL_OK && rc != SASL_CONTINUE) return throw_sasl(env, "Failed to start SASL negotiation", rc, sasl_errdetail(s->conn));
  return exchange_result(env, rc, out, outlen);
}

/* serverStep(session, data|null) -> { complete, data|null }. */
static napi_value server_step(napi_env env, napi_callback_info info) {
  ARGS(2);
  SESSION(0);
  const char *in;
  size_t inlen;
  int present;
  if (!buffer_arg(env, argv[1], &in, &inlen, &present) || inlen > UINT32_MAX) return type_error(env, "data must be a Buffer or null");
  const char *out = NULL;
  unsigned outlen = 0;
  int rc = sasl_server_step(s->conn, in, (unsigned)inlen, &out, &outlen);
  if (rc != SASL_OK && rc != SASL_CONTINUE) return throw_sasl(env, "Failed to step SASL negotiation", rc, sasl_errdetail(s->conn));
  return exchange_result(env, rc, out, outlen);
}

/* negotiated(session) -> { ssf, maxOutBuf, userName|null }: what the finished exchange settled. */
static napi_value negotiated(napi_env env, napi_callback_info info) {
  ARGS(1);
  SESSION(0);
  const void *ssf = NULL, *maxout = NULL, *user = NULL;
  int rc = sasl_getprop(s->conn, SASL_SSF, &ssf);
  if (rc != SASL_OK) return throw_sasl(env, "cannot query SASL ssf on connection", rc, NULL);
  rc = sasl_getprop(s->conn, SASL_MAXOUTBUF, &maxout);
  if (rc != SASL_OK) return throw_sasl(env, "cannot get security props", rc, NULL);
  rc = sasl_getprop(s->conn, SASL_USERNAME, &user);
  if (rc != SASL_OK) return throw_sasl(env, "cannot query SASL username on connection", rc, NULL);
  napi_value obj, v;
  napi_create_object(env, &obj);
  napi_create_uint32(env, ssf ? *(const sasl_ssf_t *)ssf : 0, &v);
  napi_set_named_property(env, obj, "ssf", v);
  napi_create_uint32(env, maxout ? *(const unsigned *)maxout : 0, &v);
  napi_set_named_property(env, obj, "maxOutBuf", v);
  if (user) napi_create_string_utf8(env, user, NAPI_AUTO_LENGTH, &v);
  else napi_get_null(env, &v);
  napi_set_named_property(env, obj, "userName", v);
  return obj;
}

/* sasl_encode and sasl_decode take and give the same arguments. */
typedef int (*sasl_transform)(sasl_conn_t *, const char *, unsigned, const char **, unsigned *);

/* (session, data) through `fn`; `what` names the direction in the error. */
static napi_value transform(napi_env env, napi_callback_info info, sasl_transform fn, const char *what) {
  ARGS(2);
  SESSION(0);
  const char *in;
  size_t inlen;
  int present;
  if (!buffer_arg(env, argv[1], &in, &inlen, &present) || !present || inlen > UINT32_MAX) return type_error(env, "data must be a Buffer");
  const char *out = NULL;
  unsigned outlen = 0;
  int rc = fn(s->conn, in, (unsigned)inlen, &out, &outlen);
  if (rc != SASL_OK) return throw_sasl(env, what, rc, sasl_errdetail(s->conn));
  return buffer_or_null(env, outlen ? out : "", outlen);
}

/* encode(session, data) -> Buffer: one block of at most maxOutBuf bytes through the security layer. */
static napi_value encode(napi_env env, napi_callback_info info) {
  return transform(env, info, sasl_encode, "failed to encode SASL data");
}

/* decode(session, data) -> Buffer: whatever whole blocks `data` completes (Cyrus keeps partial ones). */
static napi_value decode(napi_env env, napi_callback_info info) {
  return transform(env, info, sasl_decode, "failed to decode SASL data");
}

static napi_value init(napi_env env, napi_value exports) {
  const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {
    {"serverInit", server_init},
    {"serverNew", server_new},
    {"serverFqdn", server_fqdn},
    {"dispose", dispose},
    {"setExternalSsf", set_external_ssf},
    {"setSecurityProperties", set_security_properties},
    {"listMechanisms", list_mechanisms},
    {"serverStart", server_start},
    {"serverStep", server_step},
    {"negotiated", negotiated},
    {"encode", encode},
    {"decode", decode},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f);
    napi_set_named_property(env, exports, fns[i].name, f);
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
