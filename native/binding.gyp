{
  "targets": [
    {
      "target_name": "peercred",
      "sources": ["peercred.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    },
    {
      "target_name": "notify",
      "sources": ["notify.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    },
    {
      "target_name": "fdpass",
      "sources": ["fdpass.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    },
    {
      "target_name": "filelock",
      "sources": ["filelock.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    },
    {
      "target_name": "reexec",
      "sources": ["reexec.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    },
    {
      "target_name": "sasl",
      "sources": ["sasl.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"],
      "libraries": ["-lsasl2"]
    }
  ]
}
