package dev.crate.server.api.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies with a key twice are refused at the parser, for every body in one place: which
 * value "wins" is not something a client should have to guess, and some bodies (single-field
 * records) failed deep in data binding instead. The parse error is answered 400
 * {@code malformed_request} by the REST error mapper.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
