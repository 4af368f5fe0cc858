package dev.herald.targets;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Builds plugin jars for the function target tests: from Java sources, or from a directory. */
final class Plugins {
  private Plugins() {}

  /**
   * Compiles {@code sources} (binary class name to source) against herald-api and this module's
   * test classes, and writes the classes into {@code jar}.
   */
  static void compile(Map<String, String> sources, Path jar) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path classes = Files.createTempDirectory("herald-plugin-classes");
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((name, code) -> units.add(source(name, code)));
    String classPath =
        location(dev.herald.api.EventHandler.class)
            + java.io.File.pathSeparator
            + location(FunctionProbe.class);
    List<String> options =
        List.of("--release", "21", "-proc:none", "-cp", classPath, "-d", classes.toString());
    java.io.StringWriter errors = new java.io.StringWriter();
    if (!javac.getTask(errors, null, null, options, null, units).call()) {
      throw new IllegalStateException("test handlers do not compile:\n" + errors);
    }
    jar(classes, jar);
  }

  /** Writes every file under {@code dir} into {@code jar}. */
  static void jar(Path dir, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(dir.relativize(path).toString().replace('\\', '/')));
        Files.copy(path, out);
        out.closeEntry();
      }
    }
  }

  /**
   * Puts the artifact Maven resolved for a module into {@code jar}: copies it if it is a jar (the
   * build ran {@code package}), jars it if it is a classes directory (the build stopped at {@code
   * test}).
   */
  static void install(Path artifact, Path jar) throws IOException {
    if (Files.isDirectory(artifact)) {
      jar(artifact, jar);
    } else {
      Files.copy(artifact, jar);
    }
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JavaFileObject source(String name, String code) {
    URI uri = URI.create("string:///" + name.replace('.', '/') + ".java");
    return new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    };
  }
}
