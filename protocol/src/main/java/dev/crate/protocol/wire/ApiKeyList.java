package dev.crate.protocol.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

public record ApiKeyList(@JsonProperty("api_keys") List<ApiKey> apiKeys) {}
