package dev.crate.cli.commands;

import java.util.ArrayList;
import java.util.List;

/** Comma-separated option values ({@code --tags a,b}). */
public final class Lists {
    private Lists() {}

    public static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }
}
