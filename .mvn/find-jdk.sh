# Sourced (POSIX sh) by ./mvnw, ./herald and .ci/run: exports JAVA_HOME pointing at a JDK 21+.
# Order: JAVA_HOME when it is 21+, then the `java` on PATH, then the usual install locations.
# Prints a clear message and returns 1 when none exists.
# herald_runtime_only=1 (set by ./herald, which only runs the jar) accepts a JRE: no javac needed,
# as in the container image (deploy/docker/Dockerfile).

herald_jdk_ok() { # $1 = a JDK home; true when it holds java and javac of version 21 or newer
  [ -x "$1/bin/java" ] || return 1
  [ "${herald_runtime_only:-}" = 1 ] || [ -x "$1/bin/javac" ] || return 1
  herald_major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  herald_major=${herald_major#1.}
  [ -n "$herald_major" ] && [ "$herald_major" -ge 21 ] 2>/dev/null
}

herald_find_jdk() {
  case $- in *f*) herald_noglob=1 ;; *) herald_noglob= ;; esac
  set +f # the candidate list below needs globbing; mvnw runs with set -f
  herald_search_jdk; herald_found=$?
  [ -n "$herald_noglob" ] && set -f
  return $herald_found
}

herald_search_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && herald_jdk_ok "$JAVA_HOME"; then export JAVA_HOME; return 0; fi
  if command -v java >/dev/null 2>&1; then
    herald_path_jdk=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if herald_jdk_ok "$herald_path_jdk"; then export JAVA_HOME="$herald_path_jdk"; return 0; fi
  fi
  for herald_candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    if [ -d "$herald_candidate" ] && herald_jdk_ok "$herald_candidate"; then
      export JAVA_HOME="$herald_candidate"
      return 0
    fi
  done
  echo "Herald needs a JDK 21 or newer and found none." >&2
  echo "Looked at JAVA_HOME (${JAVA_HOME:-unset}), the java on PATH and /usr/lib/jvm/*." >&2
  echo "Install one (for example Temurin 21 or 25) and set JAVA_HOME to it." >&2
  return 1
}
