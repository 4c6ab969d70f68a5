# Install rules: the library, its public headers and the `logp` binary, an exported CMake package
# (find_package(logp CONFIG) gives logp::logp) and a pkg-config file.
include(CMakePackageConfigHelpers)

set(LOGP_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/logp)
install(TARGETS logp EXPORT logpTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS logp_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The CLI's bash completion and man page (cmake/cli_docs.cmake; the man page only with help2man).
install(FILES ${LOGP_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME logp)
if(LOGP_MAN_PAGE)
  install(FILES ${LOGP_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/logp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT logpTargets NAMESPACE logp:: DESTINATION ${LOGP_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/logpConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/logpConfig.cmake INSTALL_DESTINATION ${LOGP_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/logpConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/logpConfig.cmake ${PROJECT_BINARY_DIR}/logpConfigVersion.cmake
        DESTINATION ${LOGP_CMAKE_DIR})

# pkg-config: relocatable (the prefix is found from the .pc file's own folder, so
# `cmake --install --prefix P` works for any P); HDF5's and OpenBLAS's libraries by path (Debian's
# hdf5.pc names the serial flavour differently).
file(RELATIVE_PATH LOGP_PC_PREFIX_FROM_PCDIR /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
list(JOIN LOGP_PRIVATE_LIBRARIES " " LOGP_PC_PRIVATE_LIBS)
configure_file(${PROJECT_SOURCE_DIR}/cmake/logp.pc.in ${PROJECT_BINARY_DIR}/logp.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/logp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
