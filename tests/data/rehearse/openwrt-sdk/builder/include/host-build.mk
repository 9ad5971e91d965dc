# Stand-in for include/host-build.mk of an OpenWrt SDK: HostBuild gives a package folder the
# host/<action> targets (package/<dir>/host/compile builds a tool for the build machine, such as
# the Rust toolchain from feeds/packages/lang/rust), running Host/Compile.
HOST_BUILD_DIR ?= $(TOPDIR)/build_dir/host/$(PKG_NAME)-$(PKG_VERSION)

define HostBuild
host/prepare: FORCE
	mkdir -p $(HOST_BUILD_DIR)
host/compile: host/prepare
	$$(call Host/Compile)
host/install: host/compile
host/clean: FORCE
	rm -rf $(HOST_BUILD_DIR)
host/download host/check host/refresh host/update host/prereq host/configure: FORCE
	@true
endef

.PHONY: FORCE
FORCE:
