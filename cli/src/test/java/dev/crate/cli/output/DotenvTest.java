package dev.crate.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotenvTest {
    static Map<String, String> tricky() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("PLAIN", "sk_test_12345");
        values.put("HASH", "a#b # c");
        values.put("EQUALS", "k=v=w");
        values.put("SINGLE", "it's");
        values.put("DOUBLE", "say \"hi\"");
        values.put("NEWLINES", "line1\nline2\n");
        values.put("UNICODE", "hello wörld 🔑");
        values.put("SPACES", "  padded  ");
        values.put("BOTH_QUOTES", "it's \"quoted\"");
        values.put("BACKSLASH", "C:\\path\\n");
        return values;
    }

    @Test
    void roundTripsQuotesHashesEqualsNewlinesAndUnicode() {
        Map<String, String> values = tricky();
        assertEquals(values, Dotenv.read(Dotenv.write(values)));
    }

    @Test
    void readsUnquotedValuesWithInlineCommentsAndExport() {
        Map<String, String> read =
                Dotenv.read("# comment\nexport A=1\nB = two words # note\nC=\"x\\ny\"\n\nD='#not a comment'\n");
        assertEquals(Map.of("A", "1", "B", "two words", "C", "x\ny", "D", "#not a comment"), read);
    }

    @Test
    void laterDuplicatesWin() {
        assertEquals(Map.of("A", "2"), Dotenv.read("A=1\nA=2\n"));
    }
}
