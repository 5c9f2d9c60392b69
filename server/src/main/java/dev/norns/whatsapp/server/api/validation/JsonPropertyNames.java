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
  private final Map<Class<?>, Names> byClass = new ConcurrentHashMap<>();

  /** A class's JSON names by Java name, and the JSON names in Jackson's order (a record's: declared). */
  private record Names(Map<String, String> byJavaName, List<String> order) {}

  public JsonPropertyNames(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public String getName(Property property) {
    if (property instanceof JavaBeanProperty bean) {
      return names(bean.getDeclaringClass()).byJavaName().getOrDefault(property.getName(), property.getName());
    }
    return property.getName();
  }

  /** Where {@code jsonName} stands among {@code type}'s JSON properties (the last place when unknown). */
  int position(Class<?> type, String jsonName) {
    List<String> order = names(type).order();
    int at = order.indexOf(jsonName);
    return at < 0 ? order.size() : at;
  }

  private Names names(Class<?> type) {
    return byClass.computeIfAbsent(type, this::introspect);
  }

  private Names introspect(Class<?> type) {
    BeanDescription description = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
    Map<String, String> byJavaName = new LinkedHashMap<>();
    for (BeanPropertyDefinition property : description.findProperties()) {
      byJavaName.put(property.getInternalName(), property.getName());
    }
    return new Names(Collections.unmodifiableMap(byJavaName), List.copyOf(byJavaName.values()));
  }
}
