# Stand-in for rules.mk of an OpenWrt SDK: the paths package Makefiles read.
TOPDIR ?= $(CURDIR)
INCLUDE_DIR := $(TOPDIR)/include
SCRIPT_DIR := $(TOPDIR)/scripts
BUILD_DIR := $(TOPDIR)/build_dir/target
STAGING_DIR_HOST := $(TOPDIR)/staging_dir/host
ARCH_PACKAGES := $(shell cat $(TOPDIR)/.arch-packages)
# From 25.x packages are .apk (CONFIG_USE_APK), before that .ipk.
USE_APK := $(shell [ "$$(cut -d. -f1 $(TOPDIR)/.openwrt-version)" -ge 25 ] && echo y)
BIN_DIR := $(TOPDIR)/bin/packages/$(ARCH_PACKAGES)
STANDIN := $(TOPDIR)/scripts/standin
export TOPDIR INCLUDE_DIR ARCH_PACKAGES
