package io.playconnect.server;

import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.List;

import java.util.stream.Collectors;

/** Shortens picocli's parse errors to one line that starts with the option's name. */
final class OneLineErrors {
    private OneLineErrors() {
    }

    static String describe(ParameterException ex, EnvAndFileDefaults defaults) {
        ArgSpec arg = ex.getArgSpec();
        if (ex.getCause() instanceof TypeConversionException bad && arg instanceof OptionSpec option) {
            String key = EnvAndFileDefaults.key(option);
            String from = defaults.source(key).filter(s -> !given(ex, option)).map(s -> " (" + s + ")").orElse("");
            return option.longestName() + ": " + firstLine(bad.getMessage()) + from;
        }
        if (ex instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
            return missing.getMissing().stream()
                    .map(a -> a instanceof OptionSpec o ? o.longestName() : a.paramLabel())
                    .collect(Collectors.joining(", ")) + " is required";
        }
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return unmatched(unmatched);
        }
        return firstLine(String.valueOf(ex.getMessage()));
    }

    /** The first stray argument, with picocli's best guess at what was meant. */
    private static String unmatched(UnmatchedArgumentException ex) {
        String first = ex.getUnmatched().get(0);
        boolean option = first.startsWith("-");
        String text = (option ? "unknown option " : "unexpected argument ") + Converters.quoted(first);
        List<String> suggestions = ex.getSuggestions();
        if (option && !suggestions.isEmpty()) {
            text += " (did you mean " + suggestions.get(0) + "?)";
        }
        return text;
    }

    /** Whether the option was typed on the command line (so its value did not come from a default). */
    private static boolean given(ParameterException ex, OptionSpec option) {
        return ex.getCommandLine().getParseResult() != null
                && ex.getCommandLine().getParseResult().hasMatchedOption(option);
    }

    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.strip();
    }
}
