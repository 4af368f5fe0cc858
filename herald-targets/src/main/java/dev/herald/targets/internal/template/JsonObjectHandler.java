package dev.herald.targets.internal.template;

import com.github.mustachejava.Binding;
import com.github.mustachejava.Code;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.reflect.AbstractObjectHandler;
import com.github.mustachejava.util.Wrapper;
import java.util.List;
import java.util.Map;

/**
 * Resolves Mustache names over JSON values held as maps and lists (see {@link Templates#scope}):
 * the first segment of a dotted name is looked up from the innermost section outwards, the rest
 * strictly inside what it found; a numeric segment indexes an array. Never calls Java methods, so a
 * template cannot reach anything but the delivered input. Missing names resolve to {@code null}.
 *
 * <p>Thread-safety: stateless.
 */
final class JsonObjectHandler extends AbstractObjectHandler {

  @Override
  public Wrapper find(String name, List<Object> scopes) {
    return s -> resolve(name, s);
  }

  @Override
  public Binding createBinding(String name, TemplateContext tc, Code code) {
    return scopes -> resolve(name, scopes);
  }

  @Override
  public String stringify(Object object) {
    return object instanceof Map || object instanceof List
        ? Templates.json(object)
        : object.toString();
  }

  static Object resolve(String name, List<Object> scopes) {
    String[] segments = name.split("\\.", -1);
    for (int i = scopes.size() - 1; i >= 0; i--) {
      Object scope = scopes.get(i);
      if (has(scope, segments[0])) {
        Object value = scope;
        for (String segment : segments) {
          if (!has(value, segment)) {
            return null;
          }
          value = child(value, segment);
        }
        return value;
      }
    }
    return null;
  }

  private static boolean has(Object value, String key) {
    if (value instanceof Map<?, ?> map) {
      return map.containsKey(key);
    }
    if (value instanceof List<?> list) {
      int index = index(key);
      return index >= 0 && index < list.size();
    }
    return false;
  }

  private static Object child(Object value, String key) {
    return value instanceof Map<?, ?> map ? map.get(key) : ((List<?>) value).get(index(key));
  }

  private static int index(String key) {
    if (key.isEmpty() || key.length() > 9 || !key.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Integer.parseInt(key);
  }
}
