{
  # Each target builds into addons/<target>/build/Release, its own directory, because
  # node-gyp-build loads one addon per directory (scripts/addons/addon-layout.mjs).
  "target_defaults": {
    "product_dir": ">(module_root_dir)/addons/>(_target_name)/build/Release"
  },
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
      "target_name": "dgram",
      "sources": ["dgram.c"],
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
