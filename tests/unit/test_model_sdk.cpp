#include <doctest/doctest.h>

#include "model/sdk.hpp"

TEST_SUITE("model::sdk") {
  TEST_CASE("an SDK accepts package targets and its configuration targets") {
    using forgeline::model::sdk_accepts;
    for (const char* target :
         {"defconfig", "oldconfig", "download", "world", "prereq", "clean", "package/symlinks", "package/compile",
          "package/index", "package/feeds/packages/rust/host/compile", "package/rust/host/compile",
          "package/feeds/base/openssl/compile", "package/openssl/compile", "package/feeds/packages/curl/download",
          "package/tollgate-wrt/prepare", "package/feeds/packages/node/host/configure"})
      CHECK_MESSAGE(sdk_accepts(target), target);
  }

  TEST_CASE("an SDK has no tools/, toolchain/ or target/ tree, and no interactive or kernel targets") {
    using forgeline::model::sdk_accepts;
    for (const char* target :
         {"tools/install", "toolchain/install", "target/compile", "target/linux/compile", "kernel_menuconfig",
          "menuconfig", "package/rust/host/install", "package//compile", "package/../compile", "package/x/y z/compile",
          "package/feeds/packages/rust/host/", "package", "package/", "", "val.ARCH", "check"})
      CHECK_FALSE_MESSAGE(sdk_accepts(target), target);
  }

  TEST_CASE("OpenWrt 25.12 writes apk packages, earlier releases ipk; the default is the current 25.12") {
    using forgeline::model::package_extension;
    CHECK(package_extension("24.10.8") == "ipk");
    CHECK(package_extension("23.05.5") == "ipk");
    CHECK(package_extension("25.12.0-rc1") == "apk");
    CHECK(package_extension(forgeline::model::default_openwrt_release) == "apk");
    CHECK(forgeline::model::default_openwrt_release == "25.12.5");
    CHECK(forgeline::model::default_sdk_image == "openwrt/sdk");
  }
}
