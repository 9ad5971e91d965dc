#include <doctest/doctest.h>

#include <algorithm>

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

  TEST_CASE("snapshots: SNAPSHOT image tags, apk packages, checksums next to the target's SDK") {
    using namespace forgeline::model;
    CHECK(is_snapshot("snapshot"));
    CHECK_FALSE(is_snapshot("24.10.8"));
    CHECK(sdk_tag_version("snapshot") == "SNAPSHOT");
    CHECK(sdk_tag_version("24.10.8") == "24.10.8");
    CHECK(package_extension("snapshot") == "apk");
    CHECK(snapshot_checksums_url("mediatek-filogic") ==
          "https://downloads.openwrt.org/snapshots/targets/mediatek/filogic/sha256sums");
    CHECK(snapshot_checksums_url("x86-64") == "https://downloads.openwrt.org/snapshots/targets/x86/64/sha256sums");
    for (const char* alias : {"x86_64", "aarch64_cortex-a53", "mediatek", "-64", "x86-"})
      CHECK_MESSAGE(snapshot_checksums_url(alias).empty(), alias);
  }

  TEST_CASE("the index is signed with usign's key-build for ipk, the EC private-key.pem for apk") {
    CHECK(forgeline::model::signing_key_file("ipk") == "key-build");
    CHECK(forgeline::model::signing_key_file("apk") == "private-key.pem");
  }

  TEST_CASE("the SDK's default feeds include base and packages, which holds lang/rust") {
    const auto& names = forgeline::model::default_feed_names();
    CHECK(std::find(names.begin(), names.end(), "base") != names.end());
    CHECK(std::find(names.begin(), names.end(), forgeline::model::rust_feed) != names.end());
  }
}
