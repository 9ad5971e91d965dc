# Stand-in for include/package.mk of an OpenWrt SDK: BuildPackage makes `compile` write the
# package under bin/packages/<arch>/base, named as include/package-pack.mk in openwrt/openwrt
# names it: <name>_<version>-r<release>_<arch>.ipk, or <name>-<version>-r<release>.apk from 25.x
# on; its content is whatever Build/Compile leaves in the build folder.
PKG_BUILD_DIR ?= $(BUILD_DIR)/$(PKG_NAME)-$(PKG_VERSION)
PKG_RELEASE ?= 1

define Build/Compile/Default
	cp -R $(CURDIR)/. $(PKG_BUILD_DIR)/
endef
Build/Compile ?= $(Build/Compile/Default)

define BuildPackage
compile: FORCE
	mkdir -p $(PKG_BUILD_DIR) $(BIN_DIR)/base
	$$(call Build/Compile)
	tar -czf $(BIN_DIR)/base/$(if $(USE_APK),$(1)-$(PKG_VERSION)-r$(PKG_RELEASE).apk,$(1)_$(PKG_VERSION)-r$(PKG_RELEASE)_$(ARCH_PACKAGES).ipk) \
	  -C $(PKG_BUILD_DIR) .
install clean prepare configure download check: FORCE
	@true
endef

.PHONY: FORCE
FORCE:
