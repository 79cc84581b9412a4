# install + export of paged::paged, and the package files that find_package(paged CONFIG) reads.
include(CMakePackageConfigHelpers)

set(PAGED_CONFIG_DIR ${CMAKE_INSTALL_DATADIR}/cmake/paged)  # header-only: architecture independent

install(TARGETS paged EXPORT pagedTargets)
if(PAGED_HTTP)
    install(TARGETS paged_http EXPORT pagedTargets)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT pagedTargets NAMESPACE paged:: DESTINATION ${PAGED_CONFIG_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/pagedConfig.cmake.in
    ${PROJECT_BINARY_DIR}/pagedConfig.cmake
    INSTALL_DESTINATION ${PAGED_CONFIG_DIR})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pagedConfigVersion.cmake
    COMPATIBILITY SameMinorVersion
    ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/pagedConfig.cmake ${PROJECT_BINARY_DIR}/pagedConfigVersion.cmake
    DESTINATION ${PAGED_CONFIG_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/paged)
