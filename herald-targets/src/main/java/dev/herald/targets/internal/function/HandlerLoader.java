package dev.herald.targets.internal.function;

import static dev.herald.targets.internal.function.FunctionSettings.HANDLER;
import static dev.herald.targets.internal.function.FunctionSettings.invalid;

import dev.herald.api.EventHandler;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads a function target's handler class from its jar, in a class loader of its own whose parent
 * is herald-api's (so {@link EventHandler} and the JDK are shared, and nothing else of the jar
 * leaks into Herald or into other targets), and creates the one instance the target keeps. Every
 * failure is a {@link dev.herald.core.config.ConfigException.Invalid} naming {@code
 * function.handler}. Stateless.
 */
final class HandlerLoader {
  private HandlerLoader() {}

  /** A handler and the class loader it came from; closing the loader is the owner's job. */
  record Loaded(URLClassLoader loader, EventHandler handler) {}

  static Loaded load(FunctionSettings settings, String target) {
    URLClassLoader loader = classLoader(settings, target);
    try {
      return new Loaded(loader, instantiate(handlerClass(loader, settings), settings));
    } catch (RuntimeException | Error e) {
      closeQuietly(loader);
      throw e;
    }
  }

  private static URLClassLoader classLoader(FunctionSettings settings, String target) {
    try {
      URL[] urls = {settings.jar().toUri().toURL()};
      return new URLClassLoader("herald-fn-" + target, urls, EventHandler.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException("a file path that is no URL: " + settings.jar(), e);
    }
  }

  private static Class<? extends EventHandler> handlerClass(
      URLClassLoader loader, FunctionSettings s) {
    String what = HANDLER + ": " + s.handler();
    Class<?> type;
    try {
      type = Class.forName(s.handler(), false, loader);
    } catch (ClassNotFoundException e) {
      throw invalid(HANDLER, what + " is not a class in " + s.jarName());
    } catch (LinkageError e) {
      throw invalid(HANDLER, what + " cannot be loaded from " + s.jarName() + ": " + e);
    }
    if (!loader.equals(type.getClassLoader())) { // the jar's own loader, not one it delegates to
      throw invalid(HANDLER, what + " is a class of Herald itself, not of " + s.jarName());
    }
    if (!EventHandler.class.isAssignableFrom(type)) {
      throw invalid(HANDLER, what + " does not implement " + EventHandler.class.getName());
    }
    int modifiers = type.getModifiers();
    if (!Modifier.isPublic(modifiers) || Modifier.isAbstract(modifiers)) {
      throw invalid(HANDLER, what + " must be a public, non-abstract class");
    }
    return type.asSubclass(EventHandler.class);
  }

  private static EventHandler instantiate(Class<? extends EventHandler> type, FunctionSettings s) {
    String what = HANDLER + ": " + s.handler();
    Constructor<? extends EventHandler> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw invalid(HANDLER, what + " has no public constructor without parameters");
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(type.getClassLoader());
    try {
      return constructor.newInstance();
    } catch (InvocationTargetException e) {
      throw invalid(HANDLER, what + ": the constructor threw " + e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw invalid(HANDLER, what + " cannot be created: " + e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  static void closeQuietly(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      // the jar stays open until the loader is collected; nothing else to do
    }
  }
}
