package dev.crate.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lean path's JSON reads and writes what Jackson (the rest of the CLI) reads and writes. */
class LeanJsonTest {
    private static final List<String> DOCUMENTS = List.of(
            "{}",
            "[]",
            " {\"a\" : [1, -2, 3.5, 1e3, true, false, null, \"x\"], \"b\": {\"c\": {}}} ",
            "{\"s\": \"quote \\\" backslash \\\\ slash \\/ tab \\t nl \\n \\u00e9 \\ud83d\\ude00 é\"}",
            "{\"secrets\":[{\"name\":\"A\",\"environment\":\"dev\",\"version\":3,\"tags\":[\"x\"],"
                    + "\"updated_at\":\"2026-12-05T12:00:00.123456Z\"}]}",
            "{\"big\": 12345678901234567890, \"long\": 9007199254740993}");

    @Test
    void readsAsJackson() throws Exception {
        for (String document : DOCUMENTS) {
            Object jackson = Json.MAPPER.readValue(document, new TypeReference<Object>() {});
            assertEquals(normalize(jackson), normalize(LeanJson.parse(document)), document);
        }
    }

    @Test
    void writesWhatJacksonReadsBack() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "\"\\/\n\r\t\b\f\u0001 é 😀");
        value.put("list", Arrays.asList("a", null, 1L, 2.5, true));
        value.put("nested", Map.of("k", List.of()));
        String written = LeanJson.write(value);
        assertEquals(normalize(value), normalize(Json.MAPPER.readValue(written, new TypeReference<Object>() {})));
        assertEquals(Json.MAPPER.writeValueAsString(value), written);
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : List.of(
                "", "{", "{\"a\"}", "{\"a\":1,}", "[1 2]", "{a:1}", "\"\t\"", "tru", "01x", "{} {}", "\"\\x\"")) {
            assertThrows(LeanJson.MalformedException.class, () -> LeanJson.parse(bad), bad);
        }
        assertThrows(LeanJson.MalformedException.class, () -> LeanJson.parse("[".repeat(100) + "]".repeat(100)));
        assertThrows(LeanJson.MalformedException.class, () -> LeanJson.parseObject("[]"));
    }

    /** Numbers as text (Jackson picks Integer/Long/BigInteger/Double, the lean reader Long/Double). */
    private static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, normalize(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(LeanJsonTest::normalize).toList();
        }
        if (value instanceof Number number) {
            return new java.math.BigDecimal(number.toString())
                    .stripTrailingZeros()
                    .toPlainString();
        }
        return value;
    }
}
