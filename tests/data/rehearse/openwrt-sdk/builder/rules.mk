# Stand-in for rules.mk of an OpenWrt SDK: the paths and settings package Makefiles and the
# stand-in's scripts read.
TOPDIR ?= $(CURDIR)
INCLUDE_DIR := $(TOPDIR)/include
SCRIPT_DIR := $(TOPDIR)/scripts
BUILD_DIR := $(TOPDIR)/build_dir/target
DL_DIR := $(TOPDIR)/dl
STAGING_DIR_HOST := $(TOPDIR)/staging_dir/host
ARCH_PACKAGES := $(shell cat $(TOPDIR)/.arch-packages)
# OpenWrt 25.12 and later write .apk packages (CONFIG_USE_APK), earlier releases .ipk.
USE_APK := $(shell [ "$$(cut -d. -f1 $(TOPDIR)/.openwrt-version)" -ge 25 ] && echo y)
# rules.mk: BUILD_KEY signs an ipk feed's index (usign), BUILD_KEY_APK_SEC an apk feed's.
BUILD_KEY := $(TOPDIR)/key-build
BUILD_KEY_APK_SEC := $(TOPDIR)/private-key.pem
BIN_DIR := $(TOPDIR)/bin/packages/$(ARCH_PACKAGES)
STANDIN := $(TOPDIR)/scripts/standin
export TOPDIR INCLUDE_DIR DL_DIR ARCH_PACKAGES USE_APK BUILD_KEY BUILD_KEY_APK_SEC BIN_DIR
