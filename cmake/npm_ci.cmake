# smartchurn_npm_ci(DIR STAMP_VAR DESCRIPTION): `npm ci` in DIR whenever its package.json or
# package-lock.json changes. npm writes node_modules/.package-lock.json on every install, so that
# file is the stamp (and a deleted node_modules is reinstalled); its path is set in STAMP_VAR for
# the commands that need the packages to DEPEND on.
function(smartchurn_npm_ci dir stamp_var description)
  set(stamp ${dir}/node_modules/.package-lock.json)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${NPM_EXECUTABLE} ci --no-audit --no-fund --loglevel=error
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${dir}/package.json ${dir}/package-lock.json
    WORKING_DIRECTORY ${dir}
    COMMENT "Installing ${description}'s npm packages (npm ci)"
    VERBATIM)
  set(${stamp_var} ${stamp} PARENT_SCOPE)
endfunction()
