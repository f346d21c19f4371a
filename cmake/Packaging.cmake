# What `cmake --install` puts where, and the Debian package CPack makes of it:
#   cmake --build --preset release --target package
# gives build/release/breakerboard_VERSION_amd64.deb.
include(GNUInstallDirs)

set(BB_PACKAGE_DIR ${PROJECT_SOURCE_DIR}/resources/package)
set(BB_SHARE ${CMAKE_INSTALL_DATADIR}/breakerboard)
set(BB_DOC ${CMAKE_INSTALL_DATADIR}/doc/breakerboard)
set(BB_STAGED ${PROJECT_BINARY_DIR}/package)

install(TARGETS breakerboard RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The desktop's menu entry and its icons.
install(FILES ${BB_PACKAGE_DIR}/breakerboard.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
foreach(size 16 22 24 32 48 64 128 256)
  install(FILES ${BB_PACKAGE_DIR}/icons/${size}x${size}/breakerboard.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
endforeach()
install(FILES ${BB_PACKAGE_DIR}/breakerboard.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

# Shipped files: configurations, scenarios, the sample recording, Grafana and
# Prometheus.
install(FILES ${PROJECT_SOURCE_DIR}/resources/config/example.yaml ${PROJECT_SOURCE_DIR}/resources/config/demo.yaml
              ${PROJECT_SOURCE_DIR}/resources/config/demo-lenient.yaml ${PROJECT_SOURCE_DIR}/resources/config/seed.yaml
        DESTINATION ${BB_SHARE}/config)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/scenarios/ DESTINATION ${BB_SHARE}/scenarios FILES_MATCHING PATTERN "*.yaml")
install(FILES ${PROJECT_SOURCE_DIR}/resources/recordings/demo-incident.jsonl DESTINATION ${BB_SHARE}/recordings)
install(FILES ${PROJECT_SOURCE_DIR}/resources/grafana/breakerboard-dashboard.json DESTINATION ${BB_SHARE}/grafana)
install(FILES ${PROJECT_SOURCE_DIR}/resources/prometheus/breakerboard-alerts.yml DESTINATION ${BB_SHARE}/prometheus)

# Headless as a service: its unit, and the configuration it starts with (a
# conffile: an operator's edits survive upgrades).
install(FILES ${BB_PACKAGE_DIR}/breakerboard.service DESTINATION /lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/resources/config/example.yaml DESTINATION /etc/breakerboard
        RENAME breakerboard.yaml)
file(WRITE ${BB_STAGED}/conffiles "/etc/breakerboard/breakerboard.yaml\n")

# The man page and changelog carry the version, compressed as Debian wants
# them (gzip -9n: no name, no time stamp, so the bytes are the same each build).
configure_file(${BB_PACKAGE_DIR}/breakerboard.1 ${BB_STAGED}/breakerboard.1 @ONLY)
configure_file(${BB_PACKAGE_DIR}/changelog.in ${BB_STAGED}/changelog @ONLY)
foreach(page breakerboard.1 changelog)
  add_custom_command(OUTPUT ${BB_STAGED}/${page}.gz
                     COMMAND gzip -9nc ${BB_STAGED}/${page} > ${BB_STAGED}/${page}.gz
                     DEPENDS ${BB_STAGED}/${page} VERBATIM)
endforeach()
add_custom_target(package_pages ALL DEPENDS ${BB_STAGED}/breakerboard.1.gz ${BB_STAGED}/changelog.gz)
install(FILES ${BB_STAGED}/breakerboard.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${BB_PACKAGE_DIR}/copyright ${BB_STAGED}/changelog.gz DESTINATION ${BB_DOC})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME breakerboard)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "Breakerboard maintainers <maintainers@breakerboard.example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "circuit breakers for the services behind a local proxy, live")
# The summary is the first line of Description; this text follows it.
set(CPACK_PACKAGE_DESCRIPTION
    "Breakerboard puts a circuit breaker in front of every configured service
behind its HTTP reverse proxy. A Qt dashboard shows every service and group
live (state, transitions and their causes, failure and slow-call rates,
latency, rejections, fallbacks) and lets operators force breakers open or
closed, reset them and edit thresholds while traffic flows.

It also runs headless (a systemd unit is included) with Prometheus metrics
and an admin API, attaches one dashboard to a fleet of instances, shares
state between instances through Redis, rolls breakers out in monitor-only
mode, and replays recorded traffic against other thresholds.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${BB_STAGED}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_STRIP_FILES TRUE)
include(CPack)
