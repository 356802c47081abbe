{
  "variables": {
    "codec_sources": [
      "native/codec/src/base64.cpp",
      "native/codec/src/close.cpp",
      "native/codec/src/handshake.cpp",
      "native/codec/src/mask.cpp",
      "native/codec/src/session.cpp",
      "native/codec/src/sha1.cpp",
      "native/codec/src/url.cpp",
      "native/codec/src/utf8.cpp"
    ],
    "node_sources": [
      "native/node/addon.cpp",
      "native/node/buffers.cpp",
      "native/node/constants_binding.cpp",
      "native/node/handshake_bindings.cpp",
      "native/node/listen_socket.cpp",
      "native/node/session_bindings.cpp",
      "native/node/session_call.cpp",
      "native/node/session_core.cpp",
      "native/node/session_receive.cpp",
      "native/node/session_send.cpp"
    ]
  },
  "targets": [
    {
      "target_name": "gdws",
      "sources": [ "<@(codec_sources)", "<@(node_sources)" ],
      "include_dirs": [
        "native/codec/include",
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [ "NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS" ],
      "cflags_cc": [ "-std=c++17", "-O3", "-fno-exceptions" ],
      "cflags_cc!": [ "-std=gnu++17", "-std=gnu++1y" ],
      "xcode_settings": {
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_ENABLE_CPP_EXCEPTIONS": "NO"
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "AdditionalOptions": [ "/std:c++17" ] }
      }
    }
  ]
}
