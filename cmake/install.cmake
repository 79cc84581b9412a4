# install + export of paged::paged and its optional components, and the package files that find_package(paged CONFIG)
# and pkg-config read. Each component has its own export file, so that the core loads without the components'
# dependencies (pagedConfig.cmake.in).
include(CMakePackageConfigHelpers)

set(PAGED_CONFIG_DIR ${CMAKE_INSTALL_DATADIR}/cmake/paged)  # header-only: architecture independent
set(PAGED_PKGCONFIG_DIR ${CMAKE_INSTALL_DATADIR}/pkgconfig)

install(TARGETS paged EXPORT pagedTargets)
install(EXPORT pagedTargets NAMESPACE paged:: DESTINATION ${PAGED_CONFIG_DIR})
if(PAGED_HTTP)
    install(TARGETS paged_http EXPORT pagedHttpTargets)
    install(EXPORT pagedHttpTargets NAMESPACE paged:: DESTINATION ${PAGED_CONFIG_DIR})
endif()
if(PAGED_REDIS)
    install(TARGETS paged_redis EXPORT pagedRedisTargets)
    install(EXPORT pagedRedisTargets NAMESPACE paged:: DESTINATION ${PAGED_CONFIG_DIR})
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/pagedConfig.cmake.in
    ${PROJECT_BINARY_DIR}/pagedConfig.cmake
    INSTALL_DESTINATION ${PAGED_CONFIG_DIR})
# 0.x: a minor version may break the API, so only the same minor version is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/pagedConfigVersion.cmake
    COMPATIBILITY SameMinorVersion
    ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/pagedConfig.cmake ${PROJECT_BINARY_DIR}/pagedConfigVersion.cmake
    DESTINATION ${PAGED_CONFIG_DIR})

# pkg-config: paged (the core) and, when built with them, paged-http and paged-redis.
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
    set(PAGED_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
    set(PAGED_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(pc_files paged)
if(PAGED_HTTP)
    list(APPEND pc_files paged-http)
endif()
if(PAGED_REDIS)
    list(APPEND pc_files paged-redis)
endif()
foreach(pc IN LISTS pc_files)
    configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
    install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc DESTINATION ${PAGED_PKGCONFIG_DIR})
endforeach()

install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/paged)
