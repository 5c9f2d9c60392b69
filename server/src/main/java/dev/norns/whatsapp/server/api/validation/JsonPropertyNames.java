package dev.norns.whatsapp.server.api.validation;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.validator.spi.nodenameprovider.JavaBeanProperty;
import org.hibernate.validator.spi.nodenameprovider.Property;
import org.hibernate.validator.spi.nodenameprovider.PropertyNodeNameProvider;

/**
 * Names a violation's property as Jackson reads it ({@code user_id}, not {@code userId}), so an error names the field
 * the caller wrote. Properties Jackson does not know keep their Java name.
 */
public final class JsonPropertyNames implements PropertyNodeNameProvider {
  private final ObjectMapper mapper;
  private final Map<Class<?>, Map<String, String>> byClass = new ConcurrentHashMap<>();

  public JsonPropertyNames(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public String getName(Property property) {
    if (property instanceof JavaBeanProperty bean) {
      return names(bean.getDeclaringClass()).getOrDefault(property.getName(), property.getName());
    }
    return property.getName();
  }

  /** The JSON name of each property of {@code type} by its Java name, in Jackson's order (a record's: declared). */
  Map<String, String> names(Class<?> type) {
    return byClass.computeIfAbsent(type, this::introspect);
  }

  /** Where {@code jsonName} stands among {@code type}'s JSON properties (the last place when unknown). */
  int position(Class<?> type, String jsonName) {
    List<String> order = List.copyOf(names(type).values());
    int at = order.indexOf(jsonName);
    return at < 0 ? order.size() : at;
  }

  private Map<String, String> introspect(Class<?> type) {
    BeanDescription description = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
    Map<String, String> names = new LinkedHashMap<>();
    for (BeanPropertyDefinition property : description.findProperties()) {
      names.put(property.getInternalName(), property.getName());
    }
    return Collections.unmodifiableMap(names);
  }
}
