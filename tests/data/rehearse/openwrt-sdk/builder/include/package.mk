# Stand-in for include/package.mk of an OpenWrt SDK (with include/download.mk, include/quilt.mk
# and include/package-pack.mk): the actions include/subdir.mk runs in a package's folder.
#   download  fetches $(PKG_SOURCE_URL)/$(PKG_SOURCE) into dl/ (scripts/download.pl)
#   check     warns about the download's hash as download.mk's check_hash does
#   compile   runs Build/Compile in the build folder, then packs each BuildPackage into
#             bin/packages/<arch>/<feed>/, named as package-pack.mk names it:
#             <name>_<version>-r<release>_<arch>.ipk, or <name>-<version>-r<release>.apk from 25.12
#   refresh   rewrites patches/ as quilt refresh does; clean removes the build folder
# A package is a tarball of its build folder; patches are not applied; nothing is compiled.
PKG_BUILD_DIR ?= $(BUILD_DIR)/$(PKG_NAME)-$(PKG_VERSION)
PKG_RELEASE ?= 1
FEED ?= base
PACK_DIR := $(BIN_DIR)/$(FEED)
STANDIN_PACKAGES :=

define Build/Compile/Default
	cp -R $(CURDIR)/. $(PKG_BUILD_DIR)/
endef
Build/Compile ?= $(Build/Compile/Default)

pack_file = $(if $(USE_APK),$(1)-$(PKG_VERSION)-r$(PKG_RELEASE).apk,$(1)_$(PKG_VERSION)-r$(PKG_RELEASE)_$(ARCH_PACKAGES).ipk)

define BuildPackage
STANDIN_PACKAGES += $(1)
endef

download: FORCE
ifneq ($(PKG_SOURCE),)
	mkdir -p $(DL_DIR)
	[ -f $(DL_DIR)/$(PKG_SOURCE) ] || curl -fsSL -o $(DL_DIR)/$(PKG_SOURCE).dl $(PKG_SOURCE_URL)/$(PKG_SOURCE)
	[ ! -f $(DL_DIR)/$(PKG_SOURCE).dl ] || mv $(DL_DIR)/$(PKG_SOURCE).dl $(DL_DIR)/$(PKG_SOURCE)
endif

check: FORCE
ifneq ($(PKG_SOURCE),)
	@$(STANDIN) check-hash $(DL_DIR)/$(PKG_SOURCE) "$(PKG_HASH)" PKG_HASH
endif

prepare: download
	rm -rf $(PKG_BUILD_DIR)
	mkdir -p $(PKG_BUILD_DIR)
ifneq ($(PKG_SOURCE),)
	tar -xf $(DL_DIR)/$(PKG_SOURCE) -C $(PKG_BUILD_DIR) --strip-components=1
endif

configure: prepare

compile: prepare FORCE
	$(call Build/Compile)
	mkdir -p $(PACK_DIR)
	$(foreach p,$(STANDIN_PACKAGES),tar -czf $(PACK_DIR)/$(call pack_file,$(p)) -C $(PKG_BUILD_DIR) . &&) true

install: compile

refresh: prepare
	@$(STANDIN) refresh $(CURDIR)

clean: FORCE
	rm -rf $(PKG_BUILD_DIR)

update prereq dist distcheck check-depends: FORCE
	@true

.PHONY: FORCE
FORCE:
