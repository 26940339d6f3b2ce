package io.playconnect.bench.load;

import java.util.Locale;
import java.util.Map;

/**
 * A latency-by-percentile chart as SVG, one line per server. The x axis is logarithmic in
 * 1 / (1 - percentile), as HdrHistogram's plots are, so the tail (99%, 99.9%, 99.99%) gets
 * as much room as the median.
 */
final class SvgChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    /** The x axis ends here: 100% itself is infinitely far on this scale. */
    private static final double MAX_NINES = 5;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};
    private static final double[] TICKS = {0, 90, 99, 99.9, 99.99, 99.999};

    private SvgChart() {
    }

    /** {@code series}: server name to points {percentile, milliseconds}. */
    static String percentiles(String title, Map<String, double[][]> series) {
        double maxMs = 0;
        for (double[][] s : series.values()) {
            for (double[] p : s) {
                maxMs = Math.max(maxMs, p[1]);
            }
        }
        double yMax = niceCeiling(maxMs * 1.05);
        StringBuilder svg = new StringBuilder(4096);
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        axes(svg, yMax);
        int i = 0;
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            String color = COLORS[i % COLORS.length];
            StringBuilder points = new StringBuilder();
            for (double[] p : e.getValue()) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0]), y(p[1], yMax)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    color, points.toString().trim()));
            int ly = TOP + 20 + 20 * i;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                    WIDTH - RIGHT + 15, ly, WIDTH - RIGHT + 40, ly, color));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 46, ly + 4,
                    escape(e.getKey())));
            i++;
        }
        return svg.append("</svg>\n").toString();
    }

    private static void axes(StringBuilder svg, double yMax) {
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, y0, x1, y0));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, TOP, x0, y0));
        for (double t : TICKS) {
            double x = x(t);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP, x, y0));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s%%</text>%n", x, y0 + 16,
                    Results.number(t)));
        }
        for (int k = 0; k <= 5; k++) {
            double v = yMax * k / 5;
            double y = y(v, yMax);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", x0, y, x1, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x0 - 6, y + 4,
                    Results.number(Clients.round(v, 2))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
                (x0 + x1) / 2, HEIGHT - 14));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" "
                + "text-anchor=\"middle\">milliseconds</text>%n", (TOP + y0) / 2, (TOP + y0) / 2));
    }

    private static double x(double percentile) {
        double nines = percentile >= 100 ? MAX_NINES : Math.min(MAX_NINES, Math.log10(100 / (100 - percentile)));
        return LEFT + (WIDTH - LEFT - RIGHT) * nines / MAX_NINES;
    }

    private static double y(double ms, double yMax) {
        return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * (ms / yMax);
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
