# Packaging: `cmake --install` puts the core library, the public headers, a CMake package
# (find_package(SmartChurn) -> SmartChurn::smartchurn) and a pkg-config file (smartchurn.pc) under
# the prefix, beside the binary and the dashboard; plus the systemd unit and the example server
# config (docs/deployment.md). Kept in this file so the targets' own definitions stay in the
# top-level CMakeLists.txt. examples/ is built against the installed package by a test
# (tests/install/installed_package.sh).
include(CMakePackageConfigHelpers)

set(SMARTCHURN_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/SmartChurn)

# The same name in the build tree as in an installed package.
add_library(SmartChurn::smartchurn ALIAS smartchurn_core)
set_target_properties(smartchurn_core PROPERTIES EXPORT_NAME smartchurn OUTPUT_NAME smartchurn)

# The include directories given to the core in the source tree hold for the build tree only; the
# installed target gets <prefix>/include (INCLUDES DESTINATION below). Entries already written as
# generator expressions are left as they are.
get_target_property(_smartchurn_includes smartchurn_core INTERFACE_INCLUDE_DIRECTORIES)
set(_smartchurn_build_includes "")
foreach(_dir IN LISTS _smartchurn_includes)
  if(_dir MATCHES "^\\$<")
    list(APPEND _smartchurn_build_includes "${_dir}")
  else()
    list(APPEND _smartchurn_build_includes "$<BUILD_INTERFACE:${_dir}>")
  endif()
endforeach()
set_target_properties(smartchurn_core PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${_smartchurn_build_includes}")

install(TARGETS smartchurn_core EXPORT SmartChurnTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/smartchurn DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(EXPORT SmartChurnTargets NAMESPACE SmartChurn:: DESTINATION ${SMARTCHURN_CMAKE_DIR})

# The static library's consumers link its private dependencies too: the config finds them all
# (cmake/SmartChurnConfig.cmake.in).
configure_package_config_file(cmake/SmartChurnConfig.cmake.in
  ${PROJECT_BINARY_DIR}/packaging/SmartChurnConfig.cmake INSTALL_DESTINATION ${SMARTCHURN_CMAKE_DIR})
# 0.x: a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/packaging/SmartChurnConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/packaging/SmartChurnConfig.cmake
              ${PROJECT_BINARY_DIR}/packaging/SmartChurnConfigVersion.cmake
        DESTINATION ${SMARTCHURN_CMAKE_DIR})

# pkg-config: relocatable (the prefix is found from the file's own place, so --prefix and DESTDIR
# both hold). The library is static only, so its dependencies are in Requires and Libs, and a plain
# `pkg-config --libs smartchurn` links.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(SMARTCHURN_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(SMARTCHURN_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _pc_up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" _pc_up "${_pc_up}")
  set(SMARTCHURN_PC_PREFIX "\${pcfiledir}/${_pc_up}")
  set(SMARTCHURN_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(SMARTCHURN_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(SMARTCHURN_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(cmake/smartchurn.pc.in ${PROJECT_BINARY_DIR}/packaging/smartchurn.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/packaging/smartchurn.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Running `serve` as a service: the unit (its ExecStart is the installed binary, so it is written at
# install time, when --prefix is known), the example config and the playbook, to copy to
# /etc/smartchurn (docs/deployment.md).
set(SMARTCHURN_SYSTEMD_UNIT_DIR "lib/systemd/system"
    CACHE STRING "Where `cmake --install` puts smartchurn.service (relative: under the prefix)")
install(CODE "
  set(SMARTCHURN_BINARY \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/smartchurn\")
  configure_file(\"${PROJECT_SOURCE_DIR}/packaging/smartchurn.service.in\"
                 \"${PROJECT_BINARY_DIR}/packaging/smartchurn.service\" @ONLY)")
install(FILES ${PROJECT_BINARY_DIR}/packaging/smartchurn.service
        DESTINATION ${SMARTCHURN_SYSTEMD_UNIT_DIR})
install(FILES packaging/serve.json playbooks/telecom.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/smartchurn/etc)

# The installed package, used as a user would (tests/install/installed_package.sh).
if(SMARTCHURN_TESTS AND NOT SMARTCHURN_SANITIZE)
  add_test(NAME installed_package
           COMMAND ${PROJECT_SOURCE_DIR}/tests/install/installed_package.sh ${PROJECT_BINARY_DIR}
                   ${PROJECT_SOURCE_DIR} ${CMAKE_CXX_COMPILER})
  set_tests_properties(installed_package PROPERTIES TIMEOUT 600 ENVIRONMENT OMP_WAIT_POLICY=passive)
endif()
