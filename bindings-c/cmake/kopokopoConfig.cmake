# CMake package configuration of kopokopo, the Kopo Kopo (K2 Connect) C library.
# Installed by bindings-c/install.sh into PREFIX/lib/cmake/kopokopo/.
#
#   find_package(kopokopo 0.1 CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE kopokopo::kopokopo)         # shared
#   target_link_libraries(app PRIVATE kopokopo::kopokopo_static)  # static
#
# The package is relocatable: paths are computed from this file's location.

get_filename_component(_kopokopo_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
set(kopokopo_INCLUDE_DIRS "${_kopokopo_prefix}/include")
set(kopokopo_LIBRARY "${_kopokopo_prefix}/lib/libkopokopo${CMAKE_SHARED_LIBRARY_SUFFIX}")
set(kopokopo_STATIC_LIBRARY "${_kopokopo_prefix}/lib/libkopokopo.a")

include(CMakeFindDependencyMacro)
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_dependency(Threads)

if(NOT TARGET kopokopo::kopokopo AND EXISTS "${kopokopo_LIBRARY}")
    add_library(kopokopo::kopokopo SHARED IMPORTED)
    set_target_properties(kopokopo::kopokopo PROPERTIES
        IMPORTED_LOCATION "${kopokopo_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${kopokopo_INCLUDE_DIRS}")
    file(GLOB _kopokopo_sonames "${_kopokopo_prefix}/lib/libkopokopo.so.*.*")
    if(_kopokopo_sonames)
        # libkopokopo.so.0.1 (the SONAME) besides libkopokopo.so.0.1.0
        list(SORT _kopokopo_sonames)
        list(GET _kopokopo_sonames 0 _kopokopo_soname)
        get_filename_component(_kopokopo_soname "${_kopokopo_soname}" NAME)
        set_target_properties(kopokopo::kopokopo PROPERTIES IMPORTED_SONAME "${_kopokopo_soname}")
    endif()
endif()

if(NOT TARGET kopokopo::kopokopo_static AND EXISTS "${kopokopo_STATIC_LIBRARY}")
    add_library(kopokopo::kopokopo_static STATIC IMPORTED)
    set(_kopokopo_native Threads::Threads ${CMAKE_DL_LIBS})
    if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
        list(APPEND _kopokopo_native m rt util)
    endif()
    set_target_properties(kopokopo::kopokopo_static PROPERTIES
        IMPORTED_LOCATION "${kopokopo_STATIC_LIBRARY}"
        IMPORTED_LINK_INTERFACE_LANGUAGES "C"
        INTERFACE_INCLUDE_DIRECTORIES "${kopokopo_INCLUDE_DIRS}"
        INTERFACE_LINK_LIBRARIES "${_kopokopo_native}")
endif()

if(NOT TARGET kopokopo::kopokopo AND NOT TARGET kopokopo::kopokopo_static)
    set(kopokopo_FOUND FALSE)
    set(kopokopo_NOT_FOUND_MESSAGE "no libkopokopo found under ${_kopokopo_prefix}/lib")
endif()
set(kopokopo_LIBRARIES kopokopo::kopokopo)
