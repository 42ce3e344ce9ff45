# Every third-party dependency comes from a Debian 12 package (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n data)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
pkg_check_modules(MINIZIP REQUIRED IMPORTED_TARGET minizip)
find_package(pugixml REQUIRED)
# The server allocates a few hundred small blocks per request from several threads; glibc's
# malloc spent ~20% of a detail read's CPU on them, jemalloc about half that. Not under
# ASan, which brings its own allocator.
if(NOT WANGGE_SANITIZE)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
endif()
if(WANGGE_TESTS)
  find_package(GTest REQUIRED)
endif()
find_package(benchmark QUIET)

# wangge_module(NAME DEPS ... [MODULE_DEPS ...]): one static library per folder of src/, from
# every .cpp in it (subfolders included) except those under module/. A domain's module/ folder
# (its routes and its registration, src/app/module.h) is a second library, wangge_NAME_module,
# built on the first and on MODULE_DEPS (the API's shared parts), so the domain's service never
# depends on the HTTP side and the API never depends back on a domain's routes.
function(wangge_module name)
  cmake_parse_arguments(M "" "" "DEPS;MODULE_DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  file(GLOB_RECURSE module_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/module/*.cpp)
  if(module_srcs)
    list(REMOVE_ITEM srcs ${module_srcs})
  endif()
  if(srcs)
    add_library(wangge_${name} STATIC ${srcs})
    target_include_directories(wangge_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(wangge_${name} PUBLIC ${M_DEPS})
  endif()
  if(module_srcs)
    add_library(wangge_${name}_module STATIC ${module_srcs})
    target_include_directories(wangge_${name}_module PUBLIC ${PROJECT_SOURCE_DIR}/src)
    if(srcs)
      target_link_libraries(wangge_${name}_module PUBLIC wangge_${name})
    endif()
    target_link_libraries(wangge_${name}_module PUBLIC ${M_MODULE_DEPS} wangge_app wangge_api)
  endif()
endfunction()

# wangge_tests(MODULE DEPS ...): one GoogleTest executable per module from tests/MODULE/*.cpp,
# registered with CTest.
function(wangge_tests module)
  cmake_parse_arguments(T "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${module}/*.cpp)
  if(NOT srcs OR NOT TARGET wangge_${module})
    return()
  endif()
  add_executable(${module}_tests ${srcs})
  target_include_directories(${module}_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${module}_tests PRIVATE wangge_${module} ${T_DEPS} wangge_testing
                        GTest::gtest GTest::gmock GTest::gtest_main)
  # Test files are compiled a few at a time in one unit: each of them instantiates the same
  # thousands of templates (gtest, nlohmann::json, fmt), which took most of its compile time.
  set_target_properties(${module}_tests PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 6)
  add_test(NAME ${module} COMMAND ${module}_tests)
  set_tests_properties(${module} PROPERTIES ENVIRONMENT "WANGGE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
