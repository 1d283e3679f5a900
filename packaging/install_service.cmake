# Run by `cmake --install` and by CPack: installs the sample configuration and the systemd unit
# where the prefix being installed to wants them. Under /usr (the .deb) that is /etc/wordcrawl
# and /usr/lib/systemd/system; under any other prefix, PREFIX/etc/wordcrawl and
# PREFIX/lib/systemd/system. The unit names the installed binary and configuration.
# Set before: WORDCRAWL_PACKAGING_DIR, WORDCRAWL_SAMPLE_CONFIG, WORDCRAWL_STAGING and
# WORDCRAWL_FINAL_PREFIX (the prefix the files will finally live under).
if(WORDCRAWL_FINAL_PREFIX STREQUAL "/usr")
  set(final_etc /etc)
else()
  set(final_etc "${WORDCRAWL_FINAL_PREFIX}/etc")
endif()
set(WORDCRAWL_BINDIR "${WORDCRAWL_FINAL_PREFIX}/bin")
set(WORDCRAWL_CONFIG "${final_etc}/wordcrawl/server.conf")
configure_file("${WORDCRAWL_PACKAGING_DIR}/wordcrawl-server.service.in"
               "${WORDCRAWL_STAGING}/wordcrawl-server.service" @ONLY)
file(INSTALL "${WORDCRAWL_SAMPLE_CONFIG}" DESTINATION "${final_etc}/wordcrawl")
file(INSTALL "${WORDCRAWL_STAGING}/wordcrawl-server.service"
     DESTINATION "${WORDCRAWL_FINAL_PREFIX}/lib/systemd/system")
